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
 * <p>Two checks ride on the same timer. While a try waits for its headers longer than
 * {@value #STALL_CHECK_MILLIS} ms, each due time also asks whether its endpoint has been found
 * stalled, and if so tells the exchange once (which may send the try elsewhere). While a small
 * answer is held back, its hold ends at the hold's deadline.
 *
 * <p>Confined to the exchange's event loop.
 */
final class ExchangeTimer {

  private enum Phase { NONE, HEAD, BETWEEN_TRIES, BODY, DONE }

  /** How often a try waiting for its headers looks at whether its endpoint was found stalled. */
  static final long STALL_CHECK_MILLIS = 100;
  private static final long STALL_CHECK_NANOS = STALL_CHECK_MILLIS * 1_000_000L;

  private final Vertx vertx;
  private final NanoClock clock;
  private final long headTimeoutNanos;
  private final long perTryNanos;
  private final long idleTimeoutNanos;
  private final Runnable onHeadTimeout;
  private final Runnable onBodyIdle;
  private final BooleanSupplier endpointStalled;
  private final Runnable onStalled;
  private BooleanSupplier heldBack = () -> false;
  private boolean watchingStall;
  private long holdDeadline;
  private Runnable onHoldExpired;
  private Phase phase = Phase.NONE;
  private long headDeadline;
  private long overallDeadline;
  private boolean overallStarted;
  private boolean tryCutShort;
  private long lastChunk;
  private long timer = -1;
  private long dueAt;

  /**
   * @param endpointStalled whether the current try's endpoint has been found stalled
   * @param onStalled told once per try when it has, while the try waits for its headers
   */
  ExchangeTimer(Vertx vertx, NanoClock clock, long headTimeoutNanos, long perTryNanos, long idleTimeoutMillis,
      Runnable onHeadTimeout, Runnable onBodyIdle, BooleanSupplier endpointStalled, Runnable onStalled) {
    this.vertx = vertx;
    this.clock = clock;
    this.headTimeoutNanos = headTimeoutNanos;
    this.perTryNanos = perTryNanos;
    this.idleTimeoutNanos = idleTimeoutMillis * 1_000_000L;
    this.onHeadTimeout = onHeadTimeout;
    this.onBodyIdle = onBodyIdle;
    this.endpointStalled = endpointStalled;
    this.onStalled = onStalled;
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
    watchingStall = true;
    armForHead(now);
  }

  private void armForHead(long now) {
    long stallCheck = now + STALL_CHECK_NANOS;
    arm(watchingStall && stallCheck - headDeadline < 0 ? stallCheck : headDeadline);
  }

  /**
   * A try failed and another will follow. Once the route's deadline has started, it stays armed
   * through the backoff and the next try's connecting; before that (the first request was never
   * fully sent) nothing is due until the next try sends its request.
   */
  void retrying() {
    disarm();
    watchingStall = false;
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
    headArrived(heldBack, 0, null);
  }

  /**
   * As {@link #headArrived(BooleanSupplier)}, with the answer held back for at most
   * {@code holdNanos}: then {@code onHoldExpired} runs, unless {@link #holdEnded} came first.
   */
  void headArrived(BooleanSupplier heldBack, long holdNanos, Runnable onHoldExpired) {
    if (phase == Phase.DONE) {
      return;
    }
    this.heldBack = heldBack;
    phase = Phase.BODY;
    lastChunk = clock.nanoTime();
    long due = lastChunk + idleTimeoutNanos;
    this.onHoldExpired = onHoldExpired;
    if (onHoldExpired != null) {
      holdDeadline = lastChunk + holdNanos;
      if (holdDeadline - due < 0) {
        due = holdDeadline;
      }
    }
    if (timer == -1 || dueAt - due > 0) {
      disarm();
      arm(due);
    }
  }

  /** The held answer is complete or is being streamed: its hold's deadline no longer matters. */
  void holdEnded() {
    onHoldExpired = null;
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
        } else if (phase == Phase.HEAD && watchingStall && endpointStalled.getAsBoolean()) {
          watchingStall = false;
          onStalled.run();
          if (phase == Phase.HEAD && timer == -1) {
            arm(headDeadline); // the try goes on waiting where it is (it may not be sent twice)
          }
        } else {
          armForHead(now);
        }
      }
      case BODY -> {
        Runnable holdExpired = onHoldExpired;
        if (holdExpired != null && now - holdDeadline >= 0) {
          onHoldExpired = null;
          holdExpired.run();
          if (phase == Phase.BODY && timer == -1) {
            arm(lastChunk + idleTimeoutNanos);
          }
          return;
        }
        long idleDue = onHoldExpired == null || holdDeadline - (lastChunk + idleTimeoutNanos) > 0
            ? lastChunk + idleTimeoutNanos : holdDeadline;
        if (heldBack.getAsBoolean()) {
          lastChunk = now;
          arm(now + idleTimeoutNanos);
        } else if (now - lastChunk >= idleTimeoutNanos) {
          phase = Phase.DONE;
          onBodyIdle.run();
        } else {
          arm(idleDue);
        }
      }
      default -> { }
    }
  }
}
