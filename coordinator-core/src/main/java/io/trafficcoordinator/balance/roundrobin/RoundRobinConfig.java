package io.trafficcoordinator.balance.roundrobin;

import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.balance.StrategyConfig;
import java.util.Map;

/** {@code round-robin} takes no parameters: the endpoints' weights are all it needs. */
public record RoundRobinConfig() implements StrategyConfig {

  @Override
  public String name() {
    return RoundRobinStrategy.NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of();
  }

  @Override
  public Strategy create(BalancingContext context) {
    return new RoundRobinStrategy(context.clock(), context.rngSource());
  }
}
