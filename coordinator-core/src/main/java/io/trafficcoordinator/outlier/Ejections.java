package io.trafficcoordinator.outlier;

import io.trafficcoordinator.config.OutlierConfig;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.EndpointStats;

/**
 * Decides passive ejections for one service (Envoy's outlier detection, consecutive-failures
 * detector):
 *
 * <pre>
 *   eject e when   failures in a row(e) >= consecutiveFailures
 *                  and ejected endpoints < max(1, maxEjectionPercent % of the service)
 *   for            min(baseEjectionTime * times e was ejected, maxEjectionTime)
 * </pre>
 *
 * <p>An endpoint that keeps failing after it returns stays out longer each time; the cap on how
 * many may be out at once keeps a fleet-wide problem (a bad deploy of a dependency) from ejecting
 * everything. Ejection clears the endpoint's run of failures, so that it gets a fair chance when
 * it returns. Pure decisions on the endpoints' lock-free state; the caller rebuilds its picker.
 */
public final class Ejections {

  private final OutlierConfig config;

  public Ejections(OutlierConfig config) {
    this.config = config;
  }

  /** How many of {@code size} endpoints may be out at once: the percentage, but always one. */
  public int allowed(int size) {
    return Math.max(1, size * config.maxEjectionPercent() / 100);
  }

  /** Whether {@code endpoint} is due for ejection by its run of failures. One volatile read. */
  public boolean isDue(Endpoint endpoint) {
    return config.enabled() && endpoint.stats().consecutiveFailures() >= config.consecutiveFailures();
  }

  /**
   * Ejects {@code endpoint} if the cap allows; returns whether it did. Called with the caller's
   * lock held (one ejection decision at a time per service), so the count of ejected endpoints
   * cannot be raced past the cap.
   */
  public boolean tryEject(Endpoint endpoint, EndpointSet service, long nowNanos) {
    EndpointStats stats = endpoint.stats();
    if (!isDue(endpoint) || stats.isEjected(nowNanos)) {
      return false;
    }
    int ejected = 0;
    for (Endpoint other : service.endpoints()) {
      if (other.stats().isEjected(nowNanos)) {
        ejected++;
      }
    }
    if (ejected >= allowed(service.size())) {
      return false;
    }
    int times = stats.timesEjected() + 1;
    long span = Math.min(config.baseEjectionTime().toNanos() * times, config.maxEjectionTime().toNanos());
    stats.eject(nowNanos + span);
    return true;
  }
}
