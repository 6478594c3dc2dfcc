package io.trafficcoordinator.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.LastHttpContent;
import io.trafficcoordinator.config.CoordinatorConfig;
import io.trafficcoordinator.http.ProblemType;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.List;
import java.util.function.Supplier;

/**
 * Vert.x's HTTP request decoder, with two guards in front of it.
 *
 * <p>Each request head is checked whole, on its raw bytes, by {@link RequestHead} before the decoder
 * reads it: the decoder is lenient where RFC 9112 is not (obs-fold, runs of whitespace in the
 * request line, empty field names, several Host fields), and a head it would have accepted is
 * refused instead. A refused head is handed on as Netty hands on a head it cannot parse (an invalid
 * message): the server's invalid-request handler answers it and closes the connection, and the
 * bytes after it are never read as a request.
 *
 * <p>A request carrying both Content-Length and Transfer-Encoding is marked invalid instead of
 * silently losing its Content-Length. Netty before 4.2.10 handled that conflict by removing the
 * Content-Length and reading the body as chunked (RFC 9112 §6.3 allows it), so a handler never saw
 * it; Netty's RFC 9112 mode now refuses it first, and this stays as a second line.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  static final String NAME = "httpDecoder";

  /** A head {@link RequestHead} refused, as the decoder result of the invalid message. */
  static final class HeadRefused extends DecoderException {
    private final ProblemType problem;

    HeadRefused(ProblemType problem, String detail) {
      super(detail);
      this.problem = problem;
    }

    /** A refusal, not a bug: a stack trace would only cost a hostile client's target CPU. */
    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }

    ProblemType problem() {
      return problem;
    }
  }

  private final Supplier<CoordinatorConfig> config;
  private final int maxLine;
  private final int maxHeader;
  private final int headLimit;
  /** Bytes of the incomplete head at the reader index already scanned for its end. */
  private int scanned;
  private long requestsDecoded;
  /** Whether the next bytes begin a request head (true until a head is read, again after its last content). */
  private boolean headExpected = true;
  /** Set once a head was refused: nothing after it on this connection is read. */
  private boolean refused;

  StrictRequestDecoder(HttpServerOptions options, Supplier<CoordinatorConfig> config) {
    super(options);
    this.config = config;
    this.maxLine = options.getMaxInitialLineLength();
    this.maxHeader = options.getMaxHeaderSize();
    // Netty counts header bytes without their line ends; this bound is on the raw bytes, so it
    // leaves room for them (two per line, a line being at least four bytes).
    this.headLimit = maxLine + maxHeader + maxHeader / 2 + 4;
  }

  /**
   * Replaces Vert.x's decoder on a new connection's pipeline, before any byte was read; false when
   * the pipeline has no decoder by that name (so the caller can say the hook is missing).
   */
  static boolean install(ChannelPipeline pipeline, HttpServerOptions options, Supplier<CoordinatorConfig> config) {
    ChannelHandler current = pipeline.get(NAME);
    if (!(current instanceof VertxHttpRequestDecoder)) {
      return false;
    }
    pipeline.replace(NAME, NAME, new StrictRequestDecoder(options, config));
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
    // A refused head counts: its bytes were consumed, but they were bytes all the same.
    return refused || actualReadableBytes() > 0;
  }

  /** Request heads decoded so far on this connection. */
  long requestsDecoded() {
    return requestsDecoded;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (refused) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (headExpected && !headPasses(in, out)) {
      return;
    }
    int before = out.size();
    super.decode(ctx, in, out);
    for (int i = before; i < out.size(); i++) {
      Object decoded = out.get(i);
      if (decoded instanceof DecoderResultProvider result && result.decoderResult().isFailure()) {
        // Netty gave up on the connection (it discards the rest): so does this check.
        refused = true;
        return;
      }
      if (decoded instanceof HttpMessage) {
        headExpected = false;
        scanned = 0;
      }
      if (decoded instanceof LastHttpContent) {
        headExpected = true;
      }
    }
  }

  /**
   * Whether the head at the start of {@code in} may go to the decoder: it is whole and passed, or
   * it is over every size limit (the decoder then refuses it). False while it is not whole yet,
   * and when it was refused (the invalid message is then in {@code out}).
   */
  private boolean headPasses(ByteBuf in, List<Object> out) {
    // RFC 9112 §2.2: empty lines before a request line are ignored.
    while (in.readableBytes() >= 2 && in.getByte(in.readerIndex()) == '\r' && in.getByte(in.readerIndex() + 1) == '\n') {
      in.skipBytes(2);
    }
    int from = in.readerIndex();
    // Resumes where the last read's scan stopped (less the three bytes an end could straddle), so a
    // head trickled a byte at a time costs its length to scan, not its length squared.
    int end = RequestHead.end(in, from, from + Math.max(0, scanned - 3), in.writerIndex());
    if (end == RequestHead.INCOMPLETE) {
      scanned = in.readableBytes();
      if (scanned > headLimit) {
        // Never handed on unchecked: over the limits without an end is refused here, as the
        // decoder would (414 when no line ended within the request-line limit, else 431).
        boolean lineEnded = in.indexOf(from, Math.min(in.writerIndex(), from + maxLine + 2), (byte) '\n') >= 0;
        if (lineEnded) {
          refuse(in, out, ProblemType.HEADERS_TOO_LARGE, "the header section exceeds " + maxHeader + " bytes");
        } else {
          refuse(in, out, ProblemType.URI_TOO_LONG, "the request line exceeds " + maxLine + " bytes");
        }
      }
      return false;
    }
    scanned = 0;
    if (end == RequestHead.BARE_LINE_BREAK) {
      refuse(in, out, ProblemType.MALFORMED_REQUEST, "every line must end in CRLF (a bare CR or LF is refused)");
      return false;
    }
    CoordinatorConfig now = config.get();
    RequestHead.Refusal refusal = RequestHead.check(in, from, end, now.limits().maxHeaderCount(),
        now.proxy().rejectUnderscoreHeaders());
    if (refusal != null) {
      refuse(in, out, refusal.problem(), refusal.detail());
      return false;
    }
    return true;
  }

  private void refuse(ByteBuf in, List<Object> out, ProblemType problem, String detail) {
    refused = true;
    in.skipBytes(in.readableBytes());
    HttpMessage invalid = createInvalidMessage();
    invalid.setDecoderResult(DecoderResult.failure(new HeadRefused(problem, detail)));
    out.add(invalid);
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
