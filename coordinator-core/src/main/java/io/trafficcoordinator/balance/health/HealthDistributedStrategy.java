package io.trafficcoordinator.balance.health;

import io.trafficcoordinator.balance.AbstractStrategy;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.weighted.WeightedCyclePicker;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.NanoClock;

/**
 * {@code health-distributed}: each endpoint's share of traffic follows its health score, with
 * Envoy's panic threshold.
 *
 * <pre>
 *   score(e)  = {@link HealthScore#score}: active-check pass share * passive success rate, in [0, 1]
 *   healthy   = score(e) >= floor
 *   weight(e) = configuredWeight(e) * score(e)   if healthy, else 0
 *   panic     = healthy endpoints < panicThreshold * the service's endpoints
 *               ->  weight(e) = configuredWeight(e) for every endpoint offered
 * </pre>
 *
 * <p>Scores are recomputed every interval and served by smooth weighted round robin. Good when
 * endpoints fail partially (one in five requests erroring, a check flapping): a sick endpoint
 * sheds traffic in proportion to how sick it is instead of all at once, and is cut off entirely
 * below the floor. When most endpoints look sick at once, the health signal is more likely wrong
 * (a broken check, a shared dependency) than the fleet dead, so panic mode spreads traffic over
 * everything rather than crushing the few endpoints left, as Envoy does.
 */
public final class HealthDistributedStrategy extends AbstractStrategy {

  public static final String NAME = "health-distributed";

  private final HealthDistributedConfig config;

  public HealthDistributedStrategy(HealthDistributedConfig config, NanoClock clock, RngSource rngSource) {
    super(NAME, clock, rngSource);
    this.config = config;
  }

  @Override
  protected Picker choose(EndpointSet endpoints) {
    int serviceSize = endpoints.serviceSize();
    return new WeightedCyclePicker(endpoints.endpoints().toArray(Endpoint[]::new),
        (all, now, weights) -> weigh(all, serviceSize, now, weights),
        config.refreshInterval().toNanos(), clock, rngSource.next().nextInt(Integer.MAX_VALUE));
  }

  /** The weight rule: scores, floor and panic. */
  void weigh(Endpoint[] endpoints, int serviceSize, long now, double[] weights) {
    int healthy = 0;
    for (int i = 0; i < endpoints.length; i++) {
      double score = HealthScore.score(endpoints[i].stats(), now);
      boolean isHealthy = endpoints[i].stats().activeHealth().isHealthy() && score >= config.floor();
      weights[i] = isHealthy ? endpoints[i].configuredWeight() * score : 0.0;
      if (isHealthy) {
        healthy++;
      }
    }
    // Against the whole service: endpoints the eligibility stage left out count as unhealthy here.
    if (healthy < config.panicThreshold() * serviceSize) {
      for (int i = 0; i < endpoints.length; i++) {
        weights[i] = endpoints[i].configuredWeight();
      }
    }
  }
}
