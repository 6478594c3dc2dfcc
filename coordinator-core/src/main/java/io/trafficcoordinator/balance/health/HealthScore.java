package io.trafficcoordinator.balance.health;

import io.trafficcoordinator.endpoint.EndpointStats;

/**
 * An endpoint's health as one number in [0, 1], from what active checks and live traffic say.
 *
 * <pre>
 *   passive = (successes + 10) / (successes + failures + 10)      over the stats' sliding window
 *   score   = activeCheckScore * passive                          activeCheckScore: share of the last 8 checks passed
 * </pre>
 *
 * <p>The ten imaginary successes keep a quiet endpoint from being condemned by one or two unlucky
 * requests (1 failure in 2 scores 0.92, not 0.5), while an endpoint failing everything at any real
 * rate still falls fast (100 failures in a row score 0.09). An endpoint that gets no traffic sees
 * its window empty and its score return to 1, which is what sends it a probe again.
 */
public final class HealthScore {

  static final double PRIOR_SUCCESSES = 10.0;

  private HealthScore() {}

  /** The share of recent requests that succeeded, pulled toward 1 while evidence is thin. */
  public static double passive(EndpointStats stats, long nowNanos) {
    long ok = stats.windowSuccesses(nowNanos);
    long failed = stats.windowFailures(nowNanos);
    return (ok + PRIOR_SUCCESSES) / (ok + failed + PRIOR_SUCCESSES);
  }

  /** Active and passive evidence combined; 1.0 for an endpoint nobody has reason to doubt. */
  public static double score(EndpointStats stats, long nowNanos) {
    return stats.activeHealth().score() * passive(stats, nowNanos);
  }

  /** Healthy by the active checks' verdict and with a score of at least {@code floor}. */
  public static boolean isHealthy(EndpointStats stats, long nowNanos, double floor) {
    return stats.activeHealth().isHealthy() && score(stats, nowNanos) >= floor;
  }
}
