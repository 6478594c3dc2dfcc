package io.trafficcoordinator.balance.adaptive;

import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.balance.StrategyConfig;
import java.util.Map;

/** {@code adaptive-intelligent} takes no parameters: it tunes itself from what it measures. */
public record AdaptiveConfig() implements StrategyConfig {

  @Override
  public String name() {
    return AdaptiveStrategy.NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of();
  }

  @Override
  public Strategy create(BalancingContext context) {
    return new AdaptiveStrategy(context.clock(), context.rngSource());
  }
}
