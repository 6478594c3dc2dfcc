package io.trafficcoordinator.load;

import io.trafficcoordinator.window.SlidingCount;

/**
 * Round-trip times over a sliding window (one minute by default), for percentiles shown to
 * operators (p99 in the system status). Buckets grow by a quarter from 100 µs to about 65 s:
 *
 * <pre>
 *   bucket k holds times in (100 µs × 1.25^(k−1), 100 µs × 1.25^k]
 * </pre>
 *
 * so a percentile is reported as its bucket's upper bound, at most 25 % above the true value. Each
 * bucket is a {@link SlidingCount}: recording is one compare-and-set on one cell, lock-free, with no
 * timer; reading sums the cells. Not for the balancing decisions (those use EWMAs), only for
 * reports.
 */
public final class LatencyHistogram {

  private static final double FIRST_BOUND_NANOS = 100_000;
  private static final double GROWTH = 1.25;
  private static final int BUCKETS = 62;

  private final SlidingCount[] buckets = new SlidingCount[BUCKETS];

  public LatencyHistogram(long windowNanos, int slots) {
    for (int i = 0; i < BUCKETS; i++) {
      buckets[i] = new SlidingCount(windowNanos, slots);
    }
  }

  /** Records one round trip of {@code rttNanos}, finished at {@code nowNanos}. */
  public void record(long rttNanos, long nowNanos) {
    buckets[bucketOf(rttNanos)].record(nowNanos);
  }

  static int bucketOf(long rttNanos) {
    if (rttNanos <= FIRST_BOUND_NANOS) {
      return 0;
    }
    int k = (int) Math.ceil(Math.log(rttNanos / FIRST_BOUND_NANOS) / Math.log(GROWTH) - 1e-9);
    return Math.min(BUCKETS - 1, k);
  }

  static double upperBoundNanos(int bucket) {
    return FIRST_BOUND_NANOS * Math.pow(GROWTH, bucket);
  }

  /** Round trips recorded in the window ending at {@code nowNanos}. */
  public long count(long nowNanos) {
    long total = 0;
    for (SlidingCount bucket : buckets) {
      total += bucket.sum(nowNanos);
    }
    return total;
  }

  /**
   * The {@code quantile} (0..1) of the window ending at {@code nowNanos}, as its bucket's upper
   * bound in nanoseconds; NaN when the window is empty.
   */
  public double quantileNanos(double quantile, long nowNanos) {
    long[] counts = new long[BUCKETS];
    addTo(counts, nowNanos);
    return quantileNanos(counts, quantile);
  }

  /** A histogram's counts, to be merged by {@link #addTo} and read by {@link #quantileNanos(long[], double)}. */
  public static long[] emptyCounts() {
    return new long[BUCKETS];
  }

  /** Adds this histogram's counts in the window ending at {@code nowNanos} to {@code counts}. */
  public void addTo(long[] counts, long nowNanos) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += buckets[i].sum(nowNanos);
    }
  }

  /** The {@code quantile} of merged {@code counts}, as in {@link #quantileNanos(double, long)}. */
  public static double quantileNanos(long[] counts, double quantile) {
    long total = 0;
    for (long count : counts) {
      total += count;
    }
    if (total == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(quantile * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank && counts[i] > 0) {
        return upperBoundNanos(i);
      }
    }
    return upperBoundNanos(BUCKETS - 1);
  }
}
