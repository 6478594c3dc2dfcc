package io.trafficcoordinator.proxy;

import io.trafficcoordinator.time.NanoClock;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;

/**
 * Cuts a response body that stops moving: fires when no chunk has arrived from the endpoint for
 * the route's idle timeout. A pause the proxy caused itself — the client reading slowly, so the
 * endpoint's side was paused for back-pressure — is not idleness and never fires it.
 *
 * <p>One timer per idle period, not per chunk: a chunk only records its time, and the timer, when
 * it comes due, re-arms itself for whatever is left. Confined to the exchange's event loop.
 */
final class BodyIdleWatchdog {

  private final Vertx vertx;
  private final NanoClock clock;
  private final long timeoutNanos;
  private final BooleanSupplier heldBack;
  private final Runnable onIdle;
  private long lastChunkNanos;
  private long timer = -1;

  /**
   * @param heldBack true while the endpoint's side is paused because the client side is full
   * @param onIdle what to do when the body has been idle for the whole timeout
   */
  BodyIdleWatchdog(Vertx vertx, NanoClock clock, long timeoutMillis, BooleanSupplier heldBack, Runnable onIdle) {
    this.vertx = vertx;
    this.clock = clock;
    this.timeoutNanos = timeoutMillis * 1_000_000L;
    this.heldBack = heldBack;
    this.onIdle = onIdle;
  }

  void start() {
    lastChunkNanos = clock.nanoTime();
    schedule(timeoutNanos);
  }

  /** A chunk arrived from the endpoint. */
  void touch() {
    lastChunkNanos = clock.nanoTime();
  }

  void cancel() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void schedule(long inNanos) {
    timer = vertx.setTimer(Math.max(1, inNanos / 1_000_000L), fired -> due());
  }

  private void due() {
    timer = -1;
    if (heldBack.getAsBoolean()) {
      touch();
      schedule(timeoutNanos);
      return;
    }
    long idle = clock.nanoTime() - lastChunkNanos;
    if (idle >= timeoutNanos) {
      onIdle.run();
    } else {
      schedule(timeoutNanos - idle);
    }
  }
}
