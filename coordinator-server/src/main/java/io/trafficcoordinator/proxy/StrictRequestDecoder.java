package io.trafficcoordinator.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;

/**
 * Vert.x's HTTP request decoder, except that a request carrying both Content-Length and
 * Transfer-Encoding is marked invalid instead of silently losing its Content-Length.
 *
 * <p>Netty's decoder handles that conflict by removing the Content-Length and reading the body as
 * chunked (RFC 9112 §6.3 allows it), so a handler never sees it. A proxy must not: the two headers
 * are how request smuggling tells two servers two different stories. Marked invalid, the request
 * goes to the server's invalid-request handler, which answers 400 and closes the connection; nothing
 * reaches an endpoint. A test sends such a request with a well-formed chunked body, which would be
 * forwarded if this hook ever stopped being installed (after a Vert.x or Netty upgrade, say).
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  static final String NAME = "httpDecoder";

  private long requestsDecoded;

  StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  /**
   * Replaces Vert.x's decoder on a new connection's pipeline, before any byte was read; false when
   * the pipeline has no decoder by that name (so the caller can say the hook is missing).
   */
  static boolean install(ChannelPipeline pipeline, HttpServerOptions options) {
    ChannelHandler current = pipeline.get(NAME);
    if (!(current instanceof VertxHttpRequestDecoder)) {
      return false;
    }
    pipeline.replace(NAME, NAME, new StrictRequestDecoder(options));
    return true;
  }

  /** The strict decoder of the connection {@code request} arrived on, or null. */
  static StrictRequestDecoder of(HttpServerRequest request) {
    if (request.connection() instanceof ConnectionBase base && base.channel().pipeline().get(NAME) instanceof StrictRequestDecoder decoder) {
      return decoder;
    }
    return null;
  }

  /**
   * Whether bytes after the last request head have been read but not yet handed on. For a
   * WebSocket handshake there must be none before the 101: a client may not speak the new protocol
   * early, and bytes still inside the decoder when it is removed for the tunnel would be lost.
   */
  boolean holdsUnreadBytes() {
    return actualReadableBytes() > 0;
  }

  /** Request heads decoded so far on this connection. */
  long requestsDecoded() {
    return requestsDecoded;
  }

  @Override
  protected HttpMessage createMessage(String[] initialLine) {
    requestsDecoded++;
    return super.createMessage(initialLine);
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    super.handleTransferEncodingChunkedWithContentLength(message);
    message.setDecoderResult(DecoderResult.failure(
        new IllegalArgumentException("Content-Length and Transfer-Encoding must not both be present")));
  }
}
