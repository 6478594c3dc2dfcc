package io.trafficcoordinator.window;

/**
 * Successes and failures over a sliding time window: two {@link SlidingCount}s on the same
 * buckets. Lock-free.
 */
public final class OutcomeWindow {

  private final SlidingCount successes;
  private final SlidingCount failures;

  public OutcomeWindow(long windowNanos, int buckets) {
    this.successes = new SlidingCount(windowNanos, buckets);
    this.failures = new SlidingCount(windowNanos, buckets);
  }

  public void recordSuccess(long nowNanos) {
    successes.record(nowNanos);
  }

  public void recordFailure(long nowNanos) {
    failures.record(nowNanos);
  }

  /** Successes recorded within the window ending at {@code nowNanos}. */
  public long successes(long nowNanos) {
    return successes.sum(nowNanos);
  }

  /** Failures recorded within the window ending at {@code nowNanos}. */
  public long failures(long nowNanos) {
    return failures.sum(nowNanos);
  }
}
