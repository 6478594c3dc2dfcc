package io.trafficcoordinator.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/** Turns an endpoint's response head into the head the client gets. */
final class ResponseHead {

  private ResponseHead() {}

  /**
   * Copies status and end-to-end headers, sets the request id, and chooses the client's framing:
   * chunked when the endpoint gave no length to an HTTP/1.1 client.
   *
   * @param requestBodyDone whether the client's body has been read to its end
   * @param wholeLength the length of a body held whole, which the client's head then states
   *     (whatever framing the endpoint used); -1 when the body is streamed
   * @return whether the client connection must close after this response: when the endpoint
   *     answered before the whole request body arrived (the rest could not be told from the next
   *     request), or when an HTTP/1.0 client gets a body only the end of the connection delimits
   */
  static boolean relay(HttpClientResponse from, HttpServerRequest request, String requestId, boolean requestBodyDone,
      long wholeLength) {
    HttpServerResponse to = request.response();
    to.setStatusCode(from.statusCode());
    if (from.statusMessage() != null) {
      to.setStatusMessage(from.statusMessage());
    }
    MultiMap headers = to.headers();
    ProxyHeaders.copyEndToEnd(from.headers(), headers, ProxyHeaders.RESPONSE_DROPS);
    headers.set(ProxyHeaders.REQUEST_ID, requestId);
    if (wholeLength >= 0 && hasBody(request.method(), from.statusCode())) {
      headers.set("content-length", Long.toString(wholeLength));
    }
    boolean unframed = !headers.contains("content-length") && hasBody(request.method(), from.statusCode());
    if (unframed && request.version() == HttpVersion.HTTP_1_1) {
      to.setChunked(true);
    }
    boolean closeClient = !requestBodyDone || (unframed && request.version() == HttpVersion.HTTP_1_0);
    if (closeClient) {
      to.putHeader("connection", "close");
    }
    return closeClient;
  }

  /**
   * What is wrong with the framing of an endpoint's response head that its decoder let through, or
   * null: a Transfer-Encoding whose last coding is not chunked. RFC 9112 §6.3 lets such a body run
   * to the end of the connection, but a proxy then cannot tell a complete answer from a cut one,
   * and the connection cannot be used again; the endpoint is broken, and the client gets 502.
   * (Differing Content-Length values, Content-Length beside Transfer-Encoding and bad chunk sizes
   * are refused by the decoder itself.)
   */
  static String framingProblem(HttpClientResponse from, HttpMethod method) {
    java.util.List<String> codings = from.headers().getAll("transfer-encoding");
    if (codings.isEmpty() || !hasBody(method, from.statusCode())) {
      return null;
    }
    String last = "";
    for (String coding : String.join(",", codings).split(",")) {
      if (!coding.isBlank()) {
        last = coding.trim();
      }
    }
    return last.equalsIgnoreCase("chunked") ? null
        : "the endpoint's Transfer-Encoding does not end in chunked, so its body has no reliable end";
  }

  /** Prepares the client's 101 from the endpoint's: its end-to-end handshake headers, and the upgrade. */
  static void switchingProtocols(HttpClientResponse from, HttpServerResponse to, String requestId) {
    ProxyHeaders.copyEndToEnd(from.headers(), to.headers(), ProxyHeaders.RESPONSE_DROPS);
    to.headers()
        .set("upgrade", "websocket")
        .set("connection", "Upgrade")
        .set(ProxyHeaders.REQUEST_ID, requestId);
  }

  private static boolean hasBody(HttpMethod method, int status) {
    return method != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
  }
}
