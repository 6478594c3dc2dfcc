package io.trafficcoordinator.proxy;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Writes the data plane's own error responses. */
public final class Problems {

  public static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {}

  /** A short, single-line description of a failure for a problem's detail: never a stack trace. */
  static String describe(Throwable cause) {
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    String oneLine = message.replaceAll("[\\r\\n\\t]+", " ").trim();
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
  }

  /** The RFC 9457 body for {@code type}; {@code correlationId} is the request id. */
  public static Buffer body(ProblemType type, String detail, String correlationId) {
    JsonObject json = new JsonObject()
        .put("type", type.uri())
        .put("title", type.title())
        .put("status", type.status());
    if (detail != null) {
      json.put("detail", detail);
    }
    json.put("correlationId", correlationId);
    return json.toBuffer();
  }

  /**
   * Answers {@code request} with a problem. With {@code close}, the connection is closed once the
   * answer is written: needed whenever the request's body was not read to its end, since the next
   * bytes on the connection would otherwise be taken for a new request.
   */
  public static Future<Void> send(HttpServerRequest request, ProblemType type, String detail, String requestId, boolean close) {
    HttpServerResponse response = request.response();
    Buffer body = body(type, detail, requestId);
    response.setStatusCode(type.status())
        .putHeader("content-type", CONTENT_TYPE)
        .putHeader("content-length", String.valueOf(body.length()))
        .putHeader(ProxyHeaders.REQUEST_ID, requestId);
    if (close) {
      response.putHeader("connection", "close");
    }
    Future<Void> written = response.end(body);
    if (close) {
      written.onComplete(done -> request.connection().close());
    }
    return written;
  }
}
