package io.trafficcoordinator.balance.cost;

import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.balance.StrategyConfig;
import io.trafficcoordinator.config.tree.ConfigObject;
import io.trafficcoordinator.config.tree.ConfigValues;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parameters of {@code cost-performance-hybrid}.
 *
 * @param latencyObjective the expected latency an endpoint must meet to be preferred for its price
 *     (default 100 ms)
 * @param alpha 0 = the cheapest endpoint that meets the objective, 1 = the fastest (default 0.3)
 */
public record CostPerformanceConfig(Duration latencyObjective, double alpha) implements StrategyConfig {

  public static final CostPerformanceConfig DEFAULT = new CostPerformanceConfig(Duration.ofMillis(100), 0.3);

  public static CostPerformanceConfig bind(ConfigObject p) {
    return new CostPerformanceConfig(
        p.duration("latencyObjective", DEFAULT.latencyObjective, Duration.ofMillis(1), Duration.ofMinutes(10)),
        p.number("alpha", DEFAULT.alpha, 0.0, 1.0));
  }

  @Override
  public String name() {
    return CostPerformanceStrategy.NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("latencyObjective", ConfigValues.formatDuration(latencyObjective));
    map.put("alpha", alpha);
    return map;
  }

  @Override
  public Strategy create(BalancingContext context) {
    return new CostPerformanceStrategy(this, context.clock(), context.rngSource());
  }
}
