package io.trafficcoordinator.outlier;

import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.EndpointStats;
import java.util.Map;

/**
 * Decides passive ejections for one service (Envoy's outlier detection): the consecutive-failures
 * detector on the request path, the interval detectors of {@link OutlierSweep} once per
 * {@code interval}, and the cap and duration for both:
 *
 * <pre>
 *   eject e when   failures in a row(e) >= consecutiveFailures, or OutlierSweep finds it,
 *                  and ejected endpoints < max(1, maxEjectionPercent % of the service)
 *   for            min(baseEjectionTime * times e was ejected, maxEjectionTime)
 *   every interval e spends in service, times e was ejected -= 1
 * </pre>
 *
 * <p>An endpoint that keeps failing after it returns stays out longer each time; the cap on how
 * many may be out at once keeps a fleet-wide problem (a bad deploy of a dependency) from ejecting
 * everything. Ejection clears the endpoint's run of failures, so that it gets a fair chance when
 * it returns. Pure decisions on the endpoints' lock-free state; the caller rebuilds its picker.
 */
public final class Ejections {

  private final OutlierConfig config;
  /** When the interval detectors run next; only the balancer's rebuild, one at a time, reads or writes it. */
  private long nextSweepNanos;
  private boolean swept;

  public Ejections(OutlierConfig config) {
    this.config = config;
  }

  /**
   * The endpoints the interval detectors find at {@code nowNanos}, with their reasons, when an
   * interval has passed since the last sweep (empty otherwise); endpoints in service have their
   * ejection count decayed by one at the same time. Called by one thread at a time (the balancer's rebuild).
   */
  public Map<Endpoint, EjectionReason> sweep(EndpointSet service, long nowNanos) {
    if (!config.enabled() || (swept && nowNanos - nextSweepNanos < 0)) {
      return Map.of();
    }
    boolean first = !swept;
    swept = true;
    nextSweepNanos = nowNanos + config.interval().toNanos();
    if (first) {
      // The first call only starts the clock: an interval of traffic comes before any verdict.
      return Map.of();
    }
    for (Endpoint endpoint : service.endpoints()) {
      if (!endpoint.stats().isEjected(nowNanos)) {
        endpoint.stats().forgiveEjection();
      }
    }
    return OutlierSweep.outliers(config, service.endpoints(), nowNanos);
  }

  /** The service's stall detection, or null when it is off. */
  public OutlierConfig.Stall stall() {
    return config.enabled() && config.stall().enabled() ? config.stall() : null;
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
   * Ejects {@code endpoint} if the cap allows; returns whether it did. Called by one thread at a
   * time per service (the balancer's rebuild), so the count of ejected endpoints cannot be raced
   * past the cap.
   */
  public boolean tryEject(Endpoint endpoint, EndpointSet service, long nowNanos) {
    return isDue(endpoint) && ejectWithinCap(endpoint, service, nowNanos);
  }

  /** Ejects {@code endpoint}, found by a sweep, if the cap allows; one thread at a time, as {@link #tryEject}. */
  public boolean ejectWithinCap(Endpoint endpoint, EndpointSet service, long nowNanos) {
    EndpointStats stats = endpoint.stats();
    if (stats.isEjected(nowNanos)) {
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
    stats.eject(nowNanos, nowNanos + span);
    return true;
  }
}
