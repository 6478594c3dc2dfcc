package io.trafficcoordinator.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.trafficcoordinator.http.ProblemType;
import io.trafficcoordinator.http.RequestIds;
import java.util.concurrent.TimeUnit;

/**
 * Cuts off a client that takes too long to send a request's header section (slowloris): the clock
 * starts at the first byte of a request and stops when the decoder has the whole head. The idle
 * timeout alone cannot do this, since a client trickling one byte at a time is never idle. Body
 * bytes never start the clock: a connection goes from idle to reading a head to reading a body, and
 * only the end of the body makes it idle again.
 *
 * <p>Two small Netty handlers share one state: one before the HTTP decoder sees raw bytes arrive,
 * one after it sees decoded heads and bodies go in and responses go out. When the time runs out
 * and no response is being written, the client gets a 408 problem; either way the connection is
 * closed. Confined to the channel's event loop.
 *
 * <p>The timer is lazy: a head that starts while one is pending does not schedule another, and a
 * timer that comes due when no head is being read just lapses. So a busy keep-alive connection
 * schedules about one timer per timeout period instead of one per request.
 */
final class HeaderReadTimeout {

  private final long timeoutMillis;
  private final Runnable onTimeout;
  private ChannelHandlerContext rawContext;
  private enum Phase { IDLE, HEAD, BODY }

  private ScheduledFuture<?> timer;
  private Phase phase = Phase.IDLE;
  private long headStartNanos;
  private long requestsStarted;
  private long responsesEnded;

  private HeaderReadTimeout(long timeoutMillis, Runnable onTimeout) {
    this.timeoutMillis = timeoutMillis;
    this.onTimeout = onTimeout;
  }

  /** Installs on a Vert.x HTTP/1.1 server pipeline; false when the pipeline does not look like one. */
  static boolean install(ChannelPipeline pipeline, long timeoutMillis, Runnable onTimeout) {
    if (pipeline.get("httpDecoder") == null || pipeline.get("handler") == null) {
      return false;
    }
    HeaderReadTimeout state = new HeaderReadTimeout(timeoutMillis, onTimeout);
    pipeline.addBefore("httpDecoder", "headerReadTimeoutBytes", state.new BytesIn());
    pipeline.addBefore("handler", "headerReadTimeoutMessages", state.new Messages());
    return true;
  }

  private void fire() {
    timer = null;
    if (phase != Phase.HEAD || rawContext == null) {
      return;
    }
    long elapsedMillis = (System.nanoTime() - headStartNanos) / 1_000_000L;
    if (elapsedMillis < timeoutMillis) {
      schedule(timeoutMillis - elapsedMillis);
      return;
    }
    onTimeout.run();
    if (requestsStarted == responsesEnded) {
      // Written from before the HTTP encoder, so these bytes go out as they are.
      rawContext.writeAndFlush(Problems.raw(ProblemType.HEADER_READ_TIMEOUT,
          "the request headers were not received in time", RequestIds.generate(), ""))
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      rawContext.close();
    }
  }

  private void schedule(long delayMillis) {
    timer = rawContext.executor().schedule(this::fire, Math.max(1, delayMillis), TimeUnit.MILLISECONDS);
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** Before the decoder: the first bytes of a new request start the clock. */
  private final class BytesIn extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      rawContext = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (phase == Phase.IDLE && msg instanceof ByteBuf bytes && bytes.isReadable()) {
        phase = Phase.HEAD;
        headStartNanos = System.nanoTime();
        if (timer == null) {
          schedule(timeoutMillis);
        }
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      cancel();
      ctx.fireChannelInactive();
    }
  }

  /** After the decoder: a whole head stops the clock; the end of a body re-arms it for the next request. */
  private final class Messages extends ChannelDuplexHandler {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest) {
        requestsStarted++;
        phase = Phase.BODY;
      }
      if (msg instanceof LastHttpContent) {
        // Bytes of a pipelined next request may already sit in the decoder; the clock for it starts
        // on the next read.
        phase = Phase.IDLE;
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      // A 100 Continue is a complete message too, but not the end of a response.
      boolean interim = msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
      if (msg instanceof LastHttpContent && !interim) {
        responsesEnded++;
      }
      boolean switching = msg instanceof HttpResponse response && response.status().code() == 101;
      ctx.write(msg, promise);
      if (switching) {
        // The connection becomes a tunnel (a WebSocket): no more request heads to time, and the
        // tunnel's bytes must not be taken for one.
        cancel();
        ctx.pipeline().remove(this);
        if (rawContext != null && !rawContext.isRemoved()) {
          ctx.pipeline().remove(rawContext.handler());
        }
      }
    }
  }
}
