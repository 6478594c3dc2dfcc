package io.trafficcoordinator.retry;

import io.trafficcoordinator.random.Rng;
import java.time.Duration;

/**
 * Exponential backoff with full jitter (Brooker, "Exponential Backoff and Jitter", AWS 2015):
 *
 * <pre>
 *   wait before retry n (n = 1, 2, …)  =  uniform(0, min(max, base × 2^(n−1)))
 * </pre>
 *
 * <p>Full jitter spreads the retries of many clients that failed together over the whole interval,
 * so they do not arrive at the recovering endpoint in a wave.
 */
public final class Backoff {

  private final long baseNanos;
  private final long maxNanos;

  public Backoff(Duration base, Duration max) {
    this.baseNanos = base.toNanos();
    this.maxNanos = max.toNanos();
  }

  /** The bound for retry {@code n}: base doubled n−1 times, capped, without overflow. */
  public long boundNanos(int n) {
    int doublings = Math.min(Math.max(0, n - 1), 62);
    long bound = doublings >= Long.numberOfLeadingZeros(Math.max(1, baseNanos)) - 1 ? Long.MAX_VALUE : baseNanos << doublings;
    return Math.min(maxNanos, bound);
  }

  /** The wait before retry {@code n}, drawn from {@code rng}. */
  public long delayNanos(int n, Rng rng) {
    return (long) (rng.nextDouble() * boundNanos(n));
  }
}
