package io.trafficcoordinator.proxy;

import io.trafficcoordinator.time.NanoClock;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;

/**
 * The one timer of an exchange, in two phases: first the wait for the endpoint's response headers,
 * then the pauses between response body chunks (the route's {@code idleTimeout}). The wait for
 * headers is bounded twice: each try by the route's per-try timeout from the end of its request,
 * and all tries together by the route's {@code timeout} from the end of the first.
 *
 * <p>One pending Vert.x timer serves both: when the headers arrive, the timer already pending is
 * kept if it comes due soon enough for the idle check, and when it comes due it re-arms itself for
 * whatever is left. A chunk only records its time. So a typical request schedules one timer and
 * cancels it at its end, instead of a timer per phase. A pause the proxy caused itself — the client
 * reading slowly, so the endpoint's side is held back — never counts as idleness.
 *
 * <p>Confined to the exchange's event loop.
 */
final class ExchangeTimer {

  private enum Phase { NONE, HEAD, BETWEEN_TRIES, BODY, DONE }

  private final Vertx vertx;
  private final NanoClock clock;
  private final long headTimeoutNanos;
  private final long perTryNanos;
  private final long idleTimeoutNanos;
  private final Runnable onHeadTimeout;
  private final Runnable onBodyIdle;
  private BooleanSupplier heldBack = () -> false;
  private Phase phase = Phase.NONE;
  private long headDeadline;
  private long overallDeadline;
  private boolean overallStarted;
  private boolean tryCutShort;
  private long lastChunk;
  private long timer = -1;
  private long dueAt;

  ExchangeTimer(Vertx vertx, NanoClock clock, long headTimeoutMillis, long perTryMillis, long idleTimeoutMillis,
      Runnable onHeadTimeout, Runnable onBodyIdle) {
    this.vertx = vertx;
    this.clock = clock;
    this.headTimeoutNanos = headTimeoutMillis * 1_000_000L;
    this.perTryNanos = perTryMillis * 1_000_000L;
    this.idleTimeoutNanos = idleTimeoutMillis * 1_000_000L;
    this.onHeadTimeout = onHeadTimeout;
    this.onBodyIdle = onBodyIdle;
  }

  /**
   * A try's request is fully sent: its headers are due within the per-try timeout, and never
   * after the route's deadline, which the first try's call starts.
   */
  void awaitHead() {
    if (phase != Phase.NONE && phase != Phase.BETWEEN_TRIES) {
      return;
    }
    disarm();
    phase = Phase.HEAD;
    long now = clock.nanoTime();
    if (!overallStarted) {
      overallStarted = true;
      overallDeadline = now + headTimeoutNanos;
    }
    tryCutShort = overallDeadline - (now + perTryNanos) < 0;
    headDeadline = tryCutShort ? overallDeadline : now + perTryNanos;
    arm(headDeadline);
  }

  /**
   * A try failed and another will follow. Once the route's deadline has started, it stays armed
   * through the backoff and the next try's connecting; before that (the first request was never
   * fully sent) nothing is due until the next try sends its request.
   */
  void retrying() {
    disarm();
    phase = overallStarted ? Phase.BETWEEN_TRIES : Phase.NONE;
    tryCutShort = true;
    if (overallStarted) {
      headDeadline = overallDeadline;
      arm(overallDeadline);
    }
  }

  /** Whether a head timeout that fired gave the current try its whole per-try time. */
  boolean triedFully() {
    return !tryCutShort;
  }

  /** Time left before the route's deadline; the whole timeout while the first request is still being sent. */
  long remainingNanos() {
    return overallStarted ? overallDeadline - clock.nanoTime() : headTimeoutNanos;
  }

  /** Whether the route's deadline for the response headers has passed. */
  boolean overallExpired() {
    return overallStarted && clock.nanoTime() - overallDeadline >= 0;
  }

  /**
   * The headers arrived; from now on the body must keep moving.
   *
   * @param heldBack true while the endpoint's side is paused because the client side is full
   */
  void headArrived(BooleanSupplier heldBack) {
    if (phase == Phase.DONE) {
      return;
    }
    this.heldBack = heldBack;
    phase = Phase.BODY;
    lastChunk = clock.nanoTime();
    long idleDue = lastChunk + idleTimeoutNanos;
    if (timer == -1 || dueAt - idleDue > 0) {
      disarm();
      arm(idleDue);
    }
  }

  /** A body chunk arrived from the endpoint (or the endpoint's side was resumed). */
  void touch() {
    lastChunk = clock.nanoTime();
  }

  /** The exchange is over. */
  void cancel() {
    phase = Phase.DONE;
    disarm();
  }

  private void arm(long at) {
    dueAt = at;
    long delayMillis = Math.max(1, (at - clock.nanoTime()) / 1_000_000L);
    timer = vertx.setTimer(delayMillis, id -> due());
  }

  private void disarm() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void due() {
    timer = -1;
    long now = clock.nanoTime();
    switch (phase) {
      case HEAD, BETWEEN_TRIES -> {
        if (now - headDeadline >= 0) {
          phase = Phase.DONE;
          onHeadTimeout.run();
        } else {
          arm(headDeadline);
        }
      }
      case BODY -> {
        if (heldBack.getAsBoolean()) {
          lastChunk = now;
          arm(now + idleTimeoutNanos);
        } else if (now - lastChunk >= idleTimeoutNanos) {
          phase = Phase.DONE;
          onBodyIdle.run();
        } else {
          arm(lastChunk + idleTimeoutNanos);
        }
      }
      default -> { }
    }
  }
}
