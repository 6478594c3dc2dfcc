package io.trafficcoordinator.config;

import io.trafficcoordinator.balance.StrategyConfig;
import io.trafficcoordinator.balance.leastlatency.LeastLatencyConfig;
import io.trafficcoordinator.balance.roundrobin.RoundRobinConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The strategies a service may name, and how each reads its parameters. */
public final class StrategyCatalog {

  private static final Map<String, Function<ConfigObject, StrategyConfig>> BINDERS = new LinkedHashMap<>();

  static {
    BINDERS.put("round-robin", parameters -> new RoundRobinConfig());
    BINDERS.put("least-latency", parameters -> new LeastLatencyConfig());
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
   * Reads {@code parameters} for the strategy called {@code name}; reports an unknown name with
   * the list of valid ones at {@code nameNode}, and unknown parameters at their own paths.
   */
  static StrategyConfig bind(ConfigNode nameNode, String name, ConfigObject parameters) {
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
