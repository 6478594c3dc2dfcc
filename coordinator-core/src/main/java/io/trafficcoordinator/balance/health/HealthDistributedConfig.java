package io.trafficcoordinator.balance.health;

import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.balance.StrategyConfig;
import io.trafficcoordinator.config.tree.ConfigObject;
import io.trafficcoordinator.config.tree.ConfigValues;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parameters of {@code health-distributed}.
 *
 * @param floor the health score below which an endpoint gets no traffic (default 0.5)
 * @param panicThreshold the share of healthy endpoints below which traffic goes to all (default 0.5)
 * @param refreshInterval how often scores are recomputed (default 1 s)
 */
public record HealthDistributedConfig(double floor, double panicThreshold, Duration refreshInterval)
    implements StrategyConfig {

  public static final HealthDistributedConfig DEFAULT = new HealthDistributedConfig(0.5, 0.5, Duration.ofSeconds(1));

  public static HealthDistributedConfig bind(ConfigObject p) {
    return new HealthDistributedConfig(
        p.number("floor", DEFAULT.floor, 0.0, 1.0),
        p.number("panicThreshold", DEFAULT.panicThreshold, 0.0, 1.0),
        p.duration("refreshInterval", DEFAULT.refreshInterval, Duration.ofMillis(10), Duration.ofMinutes(10)));
  }

  @Override
  public String name() {
    return HealthDistributedStrategy.NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("floor", floor);
    map.put("panicThreshold", panicThreshold);
    map.put("refreshInterval", ConfigValues.formatDuration(refreshInterval));
    return map;
  }

  @Override
  public Strategy create(BalancingContext context) {
    return new HealthDistributedStrategy(this, context.clock(), context.rngSource());
  }
}
