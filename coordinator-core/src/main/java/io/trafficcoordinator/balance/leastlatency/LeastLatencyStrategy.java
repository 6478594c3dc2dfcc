package io.trafficcoordinator.balance.leastlatency;

import io.trafficcoordinator.balance.AbstractStrategy;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.p2c.LoadPicker;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.EndpointStats;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.NanoClock;

/**
 * {@code least-latency}: power of two choices over peak-EWMA latency, as Finagle's and Linkerd's
 * default balancers do.
 *
 * <pre>
 *   load(endpoint) = peakEwmaLatency(endpoint) * (inFlight(endpoint) + 1)
 *   pick = the lower load of two distinct endpoints drawn at random
 * </pre>
 *
 * <p>Good when endpoints differ in speed or one turns slow: a slow answer raises an endpoint's
 * estimate at once, and the in-flight factor steers away from endpoints that queue. Randomness and
 * the decay of idle estimates keep every endpoint probed, so none is starved for good (the failure
 * of pure least-time balancing). An endpoint with no samples yet is given a neutral estimate, the
 * mean of its peers' current estimates when the picker was built, so it is neither flooded nor
 * starved; with no samples anywhere the estimates are equal and the in-flight counts decide.
 * Failed requests count as at least the failure penalty (see {@code StatsSettings}), so a fast
 * error never looks attractive.
 */
public final class LeastLatencyStrategy extends AbstractStrategy {

  public static final String NAME = "least-latency";

  public LeastLatencyStrategy(NanoClock clock, RngSource rngSource) {
    super(NAME, clock, rngSource);
  }

  @Override
  protected Picker choose(EndpointSet endpoints) {
    return LoadPicker.over(endpoints, LeastLatencyStrategy::load, rngSource.next(), clock);
  }

  /** Peak-EWMA latency (neutral when unmeasured) times requests in flight plus one. */
  public static double load(EndpointStats stats, long now, double neutralNanos) {
    double latency = stats.latencyNanos(now);
    return (Double.isNaN(latency) ? neutralNanos : latency) * (stats.inFlight() + 1);
  }
}
