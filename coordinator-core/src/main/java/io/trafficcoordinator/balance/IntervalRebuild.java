package io.trafficcoordinator.balance;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A value a picker rebuilds every interval, on the request that finds it due: no timer, no lock on
 * the request path. A compare-and-set elects one rebuilder; every other request keeps using the
 * current value meanwhile. The elected one checks again that the value is still due (another
 * request may have rebuilt between its read and its compare-and-set), so a rebuild with memory
 * (damped weights, measured demand) steps exactly once per interval.
 *
 * @param <T> the value, immutable once published
 */
public final class IntervalRebuild<T> {

  /** Builds the next value from the previous one (null the first time). Called by one thread at a time. */
  @FunctionalInterface
  public interface Rebuild<T> {
    T rebuild(long nowNanos, T previous);
  }

  private final long intervalNanos;
  private final Rebuild<T> rebuild;
  private final AtomicBoolean rebuilding = new AtomicBoolean();
  private volatile T value;
  private volatile long dueNanos;

  /** Builds the first value now. */
  public IntervalRebuild(long intervalNanos, long nowNanos, Rebuild<T> rebuild) {
    this.intervalNanos = intervalNanos;
    this.rebuild = rebuild;
    this.value = rebuild.rebuild(nowNanos, null);
    this.dueNanos = nowNanos + intervalNanos;
  }

  /** The value to use at {@code nowNanos}, rebuilt first if it is due and no other request is at it. */
  public T current(long nowNanos) {
    T current = value;
    if (nowNanos - dueNanos >= 0 && rebuilding.compareAndSet(false, true)) {
      try {
        if (nowNanos - dueNanos >= 0) {
          current = rebuild.rebuild(nowNanos, value);
          value = current;
          dueNanos = nowNanos + intervalNanos;
        } else {
          current = value;
        }
      } finally {
        rebuilding.set(false);
      }
    }
    return current;
  }
}
