package io.trafficcoordinator.balance.predictive;

import io.trafficcoordinator.balance.AbstractStrategy;
import io.trafficcoordinator.balance.NeutralLatency;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.p2c.LoadPicker;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.EndpointStats;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.NanoClock;

/**
 * {@code predictive-system}: power of two choices over each endpoint's forecast latency.
 *
 * <pre>
 *   forecast(e) = {@link io.trafficcoordinator.load.LatencyTrend}: Holt level + trend, horizon ahead
 *                 (peak EWMA until the trend has two steps, and after a recent failure; neutral when unmeasured)
 *                 faded by exp(-(now - last sample) / 10 s), so an avoided endpoint is probed again
 *   load(e)     = forecast(e) * (inFlight(e) + 1)
 *   pick        = the lower load of two distinct endpoints drawn at random
 * </pre>
 *
 * <p>Where least-latency follows the latency an endpoint has shown, this follows where its latency
 * is heading: an endpoint whose latency climbs (a queue building, memory filling, a dependency
 * degrading) is forecast slower than a steady peer while it is still faster, and traffic moves off
 * before it saturates rather than after. Good for backends that degrade gradually; on steady or
 * noisy fleets it behaves like least-latency with a little more variance.
 */
public final class PredictiveStrategy extends AbstractStrategy {

  public static final String NAME = "predictive-system";

  private final long horizonNanos;

  public PredictiveStrategy(PredictiveConfig config, NanoClock clock, RngSource rngSource) {
    super(NAME, clock, rngSource);
    this.horizonNanos = config.horizon().toNanos();
  }

  @Override
  protected Picker choose(EndpointSet endpoints) {
    return LoadPicker.over(endpoints, this::load, rngSource.next(), clock);
  }

  /** The forecast load of {@code stats} at {@code now}; {@code neutralNanos} stands in for no data. */
  double load(EndpointStats stats, long now, double neutralNanos) {
    return NeutralLatency.expected(stats, now, horizonNanos, neutralNanos) * (stats.inFlight() + 1);
  }
}
