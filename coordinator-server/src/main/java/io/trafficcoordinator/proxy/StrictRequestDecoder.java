package io.trafficcoordinator.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpServerOptions;
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

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    super.handleTransferEncodingChunkedWithContentLength(message);
    message.setDecoderResult(DecoderResult.failure(
        new IllegalArgumentException("Content-Length and Transfer-Encoding must not both be present")));
  }
}
