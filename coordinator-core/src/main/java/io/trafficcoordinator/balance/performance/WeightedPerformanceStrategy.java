package io.trafficcoordinator.balance.performance;

import io.trafficcoordinator.balance.AbstractStrategy;
import io.trafficcoordinator.balance.NeutralLatency;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.health.HealthScore;
import io.trafficcoordinator.balance.weighted.WeightRule;
import io.trafficcoordinator.balance.weighted.WeightedCyclePicker;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.EndpointStats;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.NanoClock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code weighted-performance}: smooth weighted round robin over weights recomputed every interval
 * from measured performance, the way client-side weighted round robin from load reports works
 * (Envoy's ORCA-driven WRR, Netflix's edge balancers).
 *
 * <pre>
 *   performance(e) = passiveSuccessRate(e) / latency(e)            latency: peak EWMA, neutral if unmeasured
 *   target(e)      = clamp(performance(e) / mean performance, 1/maxRatio, maxRatio)
 *   factor(e)     += damping * (target(e) - factor(e))            every interval; starts at 1
 *   weight(e)      = configuredWeight(e) * factor(e) * slowStart(e)
 * </pre>
 *
 * <p>Good for fleets of mixed machine sizes and for endpoints whose speed drifts over minutes: an
 * endpoint twice as fast gets about twice the traffic, deterministically and without the per-pick
 * cost of comparing loads. The clamp keeps one very fast or very slow measurement from taking all
 * or nothing, and the damping (half the distance per interval) keeps weights from oscillating
 * when faster endpoints slow down under the traffic they gain. It reacts within intervals, not
 * requests; for sudden slowness least-latency is quicker.
 */
public final class WeightedPerformanceStrategy extends AbstractStrategy {

  public static final String NAME = "weighted-performance";

  private final long intervalNanos;
  private final double maxRatio;
  private final double damping;
  private final SlowStart slowStart;
  /** The smoothed factor per endpoint id, kept across picker rebuilds; written by one rebuilder at a time. */
  private final Map<String, Double> factors = new ConcurrentHashMap<>();

  public WeightedPerformanceStrategy(WeightedPerformanceConfig config, NanoClock clock, RngSource rngSource) {
    super(NAME, clock, rngSource);
    this.intervalNanos = config.weightInterval().toNanos();
    this.maxRatio = config.maxWeightRatio();
    this.damping = config.damping();
    this.slowStart = new SlowStart(config.slowStartWindow().toNanos(), config.slowStartMinFactor());
  }

  @Override
  protected Picker choose(EndpointSet endpoints) {
    Endpoint[] all = endpoints.endpoints().toArray(Endpoint[]::new);
    factors.keySet().retainAll(endpoints.endpoints().stream().map(Endpoint::id).toList());
    return new WeightedCyclePicker(all, new PerformanceWeights(), intervalNanos, clock,
        rngSource.next().nextInt(Integer.MAX_VALUE));
  }

  private final class PerformanceWeights implements WeightRule {
    @Override
    public void weigh(Endpoint[] endpoints, long now, double[] weights) {
      double neutral = NeutralLatency.of(endpoints, now);
      double sum = 0;
      for (int i = 0; i < endpoints.length; i++) {
        EndpointStats stats = endpoints[i].stats();
        double latency = stats.latencyNanos(now);
        weights[i] = HealthScore.passive(stats, now) / Math.max(1.0, Double.isNaN(latency) ? neutral : latency);
        sum += weights[i];
      }
      double mean = sum / endpoints.length;
      for (int i = 0; i < endpoints.length; i++) {
        Endpoint endpoint = endpoints[i];
        double target = Math.min(maxRatio, Math.max(1.0 / maxRatio, weights[i] / mean));
        Double previous = factors.get(endpoint.id());
        double factor;
        if (Double.isNaN(endpoint.stats().latencyNanos(now))) {
          // Nothing measured yet: neutral, and no history for the damping to start from.
          factor = previous == null ? 1.0 : previous;
        } else {
          // The first measurement sets the factor outright; after that it moves by the damping.
          factor = previous == null ? target : previous + damping * (target - previous);
          factors.put(endpoint.id(), factor);
        }
        weights[i] = endpoint.configuredWeight() * factor
            * slowStart.factor(endpoint.stats().availableSinceNanos(), now);
      }
    }
  }
}
