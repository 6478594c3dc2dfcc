package io.trafficcoordinator.balance.catalog;

import io.trafficcoordinator.balance.StrategyConfig;
import io.trafficcoordinator.balance.adaptive.AdaptiveConfig;
import io.trafficcoordinator.balance.cost.CostPerformanceConfig;
import io.trafficcoordinator.balance.health.HealthDistributedConfig;
import io.trafficcoordinator.balance.leastlatency.LeastLatencyConfig;
import io.trafficcoordinator.balance.performance.WeightedPerformanceConfig;
import io.trafficcoordinator.balance.predictive.PredictiveConfig;
import io.trafficcoordinator.balance.roundrobin.RoundRobinConfig;
import io.trafficcoordinator.balance.zone.GeographicConfig;
import io.trafficcoordinator.config.tree.ConfigNode;
import io.trafficcoordinator.config.tree.ConfigObject;
import io.trafficcoordinator.config.tree.ConfigReading;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The strategies a service may name, and how each reads its parameters. */
public final class StrategyCatalog {

  private static final Map<String, Function<ConfigObject, StrategyConfig>> BINDERS = new LinkedHashMap<>();

  static {
    BINDERS.put("round-robin", parameters -> new RoundRobinConfig());
    BINDERS.put("weighted-performance", WeightedPerformanceConfig::bind);
    BINDERS.put("least-latency", parameters -> new LeastLatencyConfig());
    BINDERS.put("health-distributed", HealthDistributedConfig::bind);
    BINDERS.put("geographic-smart", GeographicConfig::bind);
    BINDERS.put("cost-performance-hybrid", CostPerformanceConfig::bind);
    BINDERS.put("predictive-system", PredictiveConfig::bind);
    BINDERS.put("adaptive-intelligent", parameters -> new AdaptiveConfig());
  }

  private StrategyCatalog() {}

  /** Every valid strategy name, in documentation order. */
  public static List<String> names() {
    return List.copyOf(BINDERS.keySet());
  }

  /** The strategy every service gets when it names none. */
  public static StrategyConfig defaultStrategy() {
    return new RoundRobinConfig();
  }

  /**
   * Reads the strategy called {@code name} with {@code parameters} (a raw tree, null for none) that
   * a document holds at {@code path}; problems go to {@code reading} under that path. For readers of
   * other documents that name strategies (the lab's scenarios). Returns null for an unknown name.
   */
  public static StrategyConfig read(String path, String name, Object parameters, ConfigReading reading) {
    return bind(new ConfigNode(path, name, reading), name, new ConfigNode(path, parameters, reading).asObject());
  }

  /**
   * Reads {@code parameters} for the strategy called {@code name}; reports an unknown name with
   * the list of valid ones at {@code nameNode}, and unknown parameters at their own paths.
   */
  public static StrategyConfig bind(ConfigNode nameNode, String name, ConfigObject parameters) {
    Function<ConfigObject, StrategyConfig> binder = BINDERS.get(name);
    if (binder == null) {
      nameNode.problem("unknown strategy '" + name + "'; valid strategies: " + String.join(", ", names()));
      return null;
    }
    StrategyConfig config = binder.apply(parameters);
    parameters.finish();
    return config;
  }
}
