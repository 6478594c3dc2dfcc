package io.trafficcoordinator.balance.performance;

import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.balance.StrategyConfig;
import io.trafficcoordinator.config.tree.ConfigObject;
import io.trafficcoordinator.config.tree.ConfigValues;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parameters of {@code weighted-performance}.
 *
 * @param weightInterval how often weights are recomputed (default 1 s)
 * @param maxWeightRatio how far measured performance may move a weight up or down (default 10)
 * @param damping the fraction of the way to its new target a weight moves per interval (default 0.5)
 * @param slowStartWindow how long a new or recovered endpoint's weight ramps up (default 30 s; 0 turns it off)
 * @param slowStartMinFactor the share of its weight such an endpoint starts with (default 0.1)
 */
public record WeightedPerformanceConfig(
    Duration weightInterval, double maxWeightRatio, double damping, Duration slowStartWindow, double slowStartMinFactor)
    implements StrategyConfig {

  public static final WeightedPerformanceConfig DEFAULT =
      new WeightedPerformanceConfig(Duration.ofSeconds(1), 10.0, 0.5, Duration.ofSeconds(30), 0.1);

  public static WeightedPerformanceConfig bind(ConfigObject p) {
    return new WeightedPerformanceConfig(
        p.duration("weightInterval", DEFAULT.weightInterval, Duration.ofMillis(10), Duration.ofMinutes(10)),
        p.number("maxWeightRatio", DEFAULT.maxWeightRatio, 1.0, 1000.0),
        p.number("damping", DEFAULT.damping, 0.01, 1.0),
        p.duration("slowStartWindow", DEFAULT.slowStartWindow, Duration.ZERO, Duration.ofHours(1)),
        p.number("slowStartMinFactor", DEFAULT.slowStartMinFactor, 0.01, 1.0));
  }

  @Override
  public String name() {
    return WeightedPerformanceStrategy.NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("weightInterval", ConfigValues.formatDuration(weightInterval));
    map.put("maxWeightRatio", maxWeightRatio);
    map.put("damping", damping);
    map.put("slowStartWindow", ConfigValues.formatDuration(slowStartWindow));
    map.put("slowStartMinFactor", slowStartMinFactor);
    return map;
  }

  @Override
  public Strategy create(BalancingContext context) {
    return new WeightedPerformanceStrategy(this, context.clock(), context.rngSource());
  }
}
