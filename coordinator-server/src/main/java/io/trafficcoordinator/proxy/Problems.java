package io.trafficcoordinator.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.trafficcoordinator.http.ProblemType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;

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

  /** Answers {@code request} with a problem and keeps the connection for the next request. */
  public static void send(HttpServerRequest request, ProblemType type, String detail, String requestId) {
    Buffer body = body(type, detail, requestId);
    HttpServerResponse response = request.response();
    if (type == ProblemType.OVERLOADED) {
      response.putHeader("retry-after", "1");
    }
    response.setStatusCode(type.status())
        .putHeader("content-type", CONTENT_TYPE)
        .putHeader("content-length", String.valueOf(body.length()))
        .putHeader(ProxyHeaders.REQUEST_ID, requestId)
        .end(body);
  }

  /**
   * Answers {@code request} with a problem and closes the connection: for a request whose body was
   * not read to its end, or whose framing cannot be trusted.
   *
   * <p>The answer goes straight to the socket and the channel is closed once it is flushed; the
   * HTTP server's response is never ended. Ending it would let the server dispatch the next
   * request already decoded on this connection — with untrusted framing, possibly a request
   * smuggled inside this one's body — and, during a read, would defer the flush until after a
   * decoder failure could close the channel and lose the answer.
   */
  public static void sendAndClose(HttpServerRequest request, ProblemType type, String detail, String requestId) {
    Channel channel = request.connection() instanceof ConnectionBase base ? base.channel() : null;
    ChannelHandlerContext head = channel == null ? null : channel.pipeline().firstContext();
    if (head == null) {
      request.response().putHeader("connection", "close");
      send(request, type, detail, requestId);
      request.connection().close();
      return;
    }
    StringBuilder extra = new StringBuilder();
    for (String name : CARRIED) {
      for (String value : request.response().headers().getAll(name)) {
        extra.append(name).append(": ").append(value).append("\r\n");
      }
    }
    head.writeAndFlush(raw(type, detail, requestId, extra.toString())).addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * The headers a refusal may have set on the response before it turned out the connection must
   * close: they go into the raw answer too (a 401's challenge, a 429's Retry-After and RateLimit).
   */
  private static final String[] CARRIED = {"www-authenticate", "retry-after", "ratelimit-policy", "ratelimit"};

  /** A complete HTTP/1.1 problem response with {@code Connection: close}, as bytes for the socket. */
  static ByteBuf raw(ProblemType type, String detail, String requestId, String extraHeaderLines) {
    byte[] body = body(type, detail, requestId).getBytes();
    String head = "HTTP/1.1 " + type.status() + " " + reason(type.status()) + "\r\n"
        + "content-type: " + CONTENT_TYPE + "\r\n"
        + "content-length: " + body.length + "\r\n"
        + "connection: close\r\n"
        + (type == ProblemType.OVERLOADED ? "retry-after: 1\r\n" : "")
        + extraHeaderLines
        + ProxyHeaders.REQUEST_ID + ": " + requestId + "\r\n\r\n";
    return Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body);
  }

  private static String reason(int status) {
    return io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase();
  }
}
