package io.trafficcoordinator.retry;

import io.trafficcoordinator.window.SlidingCount;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many retries a route may send (the retry budgets of Finagle and linkerd):
 *
 * <pre>
 *   a retry is granted while   retries(window) &lt; max( percent/100 × requests(window),
 *                                                     minPerSecond × seconds of the window elapsed )
 * </pre>
 *
 * <p>So while every endpoint fails, retries add at most {@code percent} % to the load on the
 * service instead of multiplying it by the number of attempts, and a route with little traffic can
 * still retry a few requests a second (the floor). Finagle adds its floor to the percentage; here
 * it is a lower bound, so that a busy route's retries stay within the percentage itself. The floor
 * grows a second at a time from when the budget was made, so a reload or a start does not hand out
 * a window's worth at once. The floor is counted over the window, not per second: a route quiet for
 * a whole window may spend it in one burst ({@code minPerSecond} × window seconds).
 *
 * <p>Lock-free: two sliding counts. Two threads granted at the same instant may both take the last
 * retry of the window; the overshoot is at most one per thread, which a budget can afford.
 */
public final class RetryBudget {

  /** What {@link #tryRetry} answered, and whether it changed the budget's state. */
  public enum Grant {
    GRANTED,
    /** Granted, after one or more refusals: retries resume. */
    RESUMED,
    REFUSED,
    /** Refused, after grants: the budget has just run out. */
    EXHAUSTED;

    public boolean granted() {
      return this == GRANTED || this == RESUMED;
    }
  }

  private final RetryConfig.Budget config;
  private final SlidingCount requests;
  private final SlidingCount retries;
  private final long createdNanos;
  private final AtomicBoolean exhausted = new AtomicBoolean();

  public RetryBudget(RetryConfig.Budget config, long nowNanos) {
    this.config = config;
    long window = config.window().toNanos();
    // Ten buckets whatever the window: counts slide out a tenth of the window at a time.
    this.requests = new SlidingCount(window, 10);
    this.retries = new SlidingCount(window, 10);
    this.createdNanos = nowNanos;
  }

  public RetryConfig.Budget config() {
    return config;
  }

  /** Counts a request sent on the route (its first try). */
  public void recordRequest(long nowNanos) {
    requests.record(nowNanos);
  }

  /** Takes a retry from the budget if it has one. */
  public Grant tryRetry(long nowNanos) {
    if (retries.sum(nowNanos) >= allowed(nowNanos)) {
      return exhausted.compareAndSet(false, true) ? Grant.EXHAUSTED : Grant.REFUSED;
    }
    retries.record(nowNanos);
    return exhausted.compareAndSet(true, false) ? Grant.RESUMED : Grant.GRANTED;
  }

  /** Retries the budget allows within the window ending at {@code nowNanos}. */
  long allowed(long nowNanos) {
    long windowSeconds = Math.max(1, config.window().toSeconds());
    long secondsElapsed = Math.min(windowSeconds, Math.max(0, nowNanos - createdNanos) / 1_000_000_000L + 1);
    return Math.max((long) (requests.sum(nowNanos) * config.percent() / 100.0), config.minPerSecond() * secondsElapsed);
  }
}
