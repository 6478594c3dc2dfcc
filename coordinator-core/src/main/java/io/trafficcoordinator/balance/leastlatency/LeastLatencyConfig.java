package io.trafficcoordinator.balance.leastlatency;

import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.balance.StrategyConfig;
import java.util.Map;

/**
 * {@code least-latency} takes no parameters: the latency estimate it compares is kept by each
 * endpoint's stats (peak EWMA with a 10 s decay, failures counted as at least 1 s).
 */
public record LeastLatencyConfig() implements StrategyConfig {

  @Override
  public String name() {
    return LeastLatencyStrategy.NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of();
  }

  @Override
  public Strategy create(BalancingContext context) {
    return new LeastLatencyStrategy(context.clock(), context.rngSource());
  }
}
