package io.trafficcoordinator.ratelimit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket — up to {@code burst} requests at once, refilled at {@code perMinute} a minute;
 * each request takes a token or is refused, never waits — kept as the generic cell rate algorithm
 * (GCRA, ITU-T I.371) does, in one number: the theoretical arrival time {@code tat}, when the
 * bucket would be full again.
 *
 * <pre>
 *   T = one minute / perMinute          (the interval of one token)
 *   τ = (burst − 1) × T                 (how far ahead of now tat may run)
 *   allowed at now  ⇔  tat − now ≤ τ;   then tat = max(tat, now) + T
 * </pre>
 *
 * <p>Integer nanoseconds throughout, one compare-and-set: exact, lock-free, no timer.
 */
public final class TokenBucket {

  /**
   * What {@link #tryTake} decided.
   *
   * @param remaining whole tokens left after this request
   * @param retryAfterNanos when refused, how long until a token is there; 0 otherwise
   * @param fullInNanos how long until the bucket is full again
   */
  public record Take(boolean allowed, long remaining, long retryAfterNanos, long fullInNanos) {}

  private final long interval;
  private final long tolerance;
  private final AtomicLong tat;

  public TokenBucket(int perMinute, int burst, long nowNanos) {
    this(60_000_000_000L / Math.max(1, perMinute), burst, nowNanos);
    if (perMinute < 1) {
      throw new IllegalArgumentException("a bucket needs a rate of at least 1");
    }
  }

  /** A bucket refilled by one token every {@code intervalNanos}. */
  public TokenBucket(long intervalNanos, int burst, long nowNanos) {
    if (intervalNanos < 1 || burst < 1) {
      throw new IllegalArgumentException("a bucket needs a rate and a burst of at least 1");
    }
    this.interval = intervalNanos;
    this.tolerance = (burst - 1) * interval;
    this.tat = new AtomicLong(nowNanos);
  }

  /** Takes a token at {@code nowNanos} if there is one. */
  public Take tryTake(long nowNanos) {
    return tryTake(nowNanos, 1);
  }

  /**
   * Takes {@code cost} tokens at {@code nowNanos} if there are that many (all or none): a request
   * that costs more counts as that many requests. A cost above the burst is never allowed.
   */
  public Take tryTake(long nowNanos, int cost) {
    long need = cost * interval;
    while (true) {
      long current = tat.get();
      long base = Math.max(current, nowNanos);
      long next = base + need;
      long over = next - nowNanos - (tolerance + interval);
      if (over > 0) {
        return new Take(false, Math.max(0, (tolerance + interval - (base - nowNanos)) / interval), over, base - nowNanos);
      }
      if (tat.compareAndSet(current, next)) {
        long ahead = next - nowNanos;
        return new Take(true, (tolerance + interval - ahead) / interval, 0, ahead);
      }
    }
  }

  /** Whether the bucket is full at {@code nowNanos}: then it is no different from a new one. */
  public boolean isFull(long nowNanos) {
    return tat.get() - nowNanos <= 0;
  }
}
