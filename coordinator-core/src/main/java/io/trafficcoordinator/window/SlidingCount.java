package io.trafficcoordinator.window;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A count of events over a sliding time window, kept in a ring of fixed-width buckets.
 *
 * <p>Each bucket is one {@code long}: the bucket's epoch (its index on the time axis, low 32 bits)
 * in the high half and its count in the low half; a count of zero marks an empty bucket. Recording
 * is a compare-and-set that either adds one to the current epoch or starts a new epoch at one, so a
 * bucket is recycled and counted in a single atomic step and no event is lost to a reset race.
 * Lock-free; readers see each bucket atomically but not all buckets at one instant, which is fine
 * for a rate.
 */
public final class SlidingCount {

  private final long bucketNanos;
  private final int buckets;
  private final AtomicLongArray counts;

  public SlidingCount(long windowNanos, int buckets) {
    if (buckets < 1 || windowNanos < buckets) {
      throw new IllegalArgumentException("window " + windowNanos + "ns cannot hold " + buckets + " buckets");
    }
    this.bucketNanos = windowNanos / buckets;
    this.buckets = buckets;
    this.counts = new AtomicLongArray(buckets);
  }

  private int epochOf(long nowNanos) {
    // Truncated to 32 bits on purpose: epochs are compared by signed difference, which wraps safely.
    return (int) Math.floorDiv(nowNanos, bucketNanos);
  }

  /** Counts one event at {@code nowNanos}. */
  public void record(long nowNanos) {
    int epoch = epochOf(nowNanos);
    int slot = Math.floorMod(epoch, buckets);
    while (true) {
      long packed = counts.get(slot);
      int slotEpoch = (int) (packed >>> 32);
      long count = packed & 0xFFFF_FFFFL;
      long next;
      if (slotEpoch == epoch && count > 0) {
        next = packed + 1;
      } else if (count > 0 && slotEpoch - epoch > 0) {
        // The slot already holds a newer epoch: this event is a whole window late (its thread
        // read the clock long before recording). It no longer belongs in the window.
        return;
      } else {
        // An empty slot or one from an older epoch: recycle it, counting this event as its first.
        next = ((long) epoch << 32) | 1L;
      }
      if (counts.compareAndSet(slot, packed, next)) {
        return;
      }
    }
  }

  /** Events recorded within the window ending at {@code nowNanos}. */
  public long sum(long nowNanos) {
    int epoch = epochOf(nowNanos);
    long total = 0;
    for (int i = 0; i < buckets; i++) {
      long packed = counts.get(i);
      int age = epoch - (int) (packed >>> 32);
      if (age >= 0 && age < buckets) {
        total += packed & 0xFFFF_FFFFL;
      }
    }
    return total;
  }
}
