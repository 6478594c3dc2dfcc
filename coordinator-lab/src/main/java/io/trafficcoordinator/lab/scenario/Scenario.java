package io.trafficcoordinator.lab.scenario;

import io.trafficcoordinator.balance.StrategyConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A simulated fleet and what happens to it: the endpoints, how requests arrive, and timed events.
 * Read from YAML by {@link ScenarioReader}.
 *
 * @param requests how many requests a run offers (per strategy)
 * @param startRate requests per second at the start (Poisson arrivals)
 * @param endRate requests per second at the end; equal to startRate for a steady load, the rate
 *     ramps linearly between them otherwise
 * @param clientZones share of callers per zone; empty when callers have no zone
 * @param network round-trip time added to a request from one zone to an endpoint in another
 * @param timeout a request not answered by then fails (as a client would give up)
 * @param failFast how long a request to a dead endpoint takes to fail (connection refused)
 * @param healthChecks active checks the simulated coordinator runs
 * @param strategies every strategy of the catalog with the parameters the scenario gives it
 * @param warmUpFraction the first part of the run, left out of the results
 */
public record Scenario(
    String name,
    String description,
    long requests,
    double startRate,
    double endRate,
    Map<String, Double> clientZones,
    List<EndpointModel> endpoints,
    List<TimedEvent> events,
    Map<String, Map<String, Duration>> network,
    Duration timeout,
    Duration failFast,
    HealthChecks healthChecks,
    Map<String, StrategyConfig> strategies,
    double warmUpFraction) {

  /**
   * Active checks: every {@code interval}, a check fails when the endpoint is dead or would not
   * answer within {@code timeout}; the verdict flips after the thresholds' consecutive results.
   */
  public record HealthChecks(boolean enabled, Duration interval, Duration timeout, int healthyThreshold, int unhealthyThreshold) {}

  /** How long a run lasts in simulated time. */
  public long durationNanos() {
    return (long) (requests / ((startRate + endRate) / 2) * 1e9);
  }

  /** The round trip between a caller's zone and an endpoint's zone; zero within a zone or when not given. */
  public long networkNanos(String fromZone, String toZone) {
    if (fromZone == null || fromZone.equals(toZone)) {
      return 0L;
    }
    Duration rtt = network.getOrDefault(fromZone, Map.of()).get(toZone);
    return rtt == null ? 0L : rtt.toNanos();
  }

  /** A copy that offers {@code count} requests, with events at the same fractions of the run. */
  public Scenario withRequests(long count) {
    return new Scenario(name, description, count, startRate, endRate, clientZones, endpoints, events, network,
        timeout, failFast, healthChecks, strategies, warmUpFraction);
  }
}
