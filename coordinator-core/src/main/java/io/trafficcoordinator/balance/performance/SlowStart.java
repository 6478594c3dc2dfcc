package io.trafficcoordinator.balance.performance;

/**
 * The weight factor of an endpoint that joined or recovered a moment ago, as HAProxy's
 * {@code slowstart} and Envoy's slow start ramp it:
 *
 * <pre>
 *   factor = max(minFactor, min(1, elapsed / window))
 * </pre>
 *
 * <p>A cold endpoint (empty caches, JIT not warmed, connection pools empty) given its full share at
 * once answers slowly and may fall over; ramping linearly lets it warm under a growing fraction of
 * the load. The floor (Envoy uses 10 %) makes sure it gets enough traffic to warm at all.
 */
public record SlowStart(long windowNanos, double minFactor) {

  public static final SlowStart OFF = new SlowStart(0L, 1.0);

  /** The factor at {@code nowNanos} for an endpoint available since {@code sinceNanos}. */
  public double factor(long sinceNanos, long nowNanos) {
    if (windowNanos <= 0 || sinceNanos == Long.MIN_VALUE) {
      return 1.0;
    }
    long elapsed = nowNanos - sinceNanos;
    if (elapsed >= windowNanos) {
      return 1.0;
    }
    return Math.max(minFactor, Math.max(0L, elapsed) / (double) windowNanos);
  }
}
