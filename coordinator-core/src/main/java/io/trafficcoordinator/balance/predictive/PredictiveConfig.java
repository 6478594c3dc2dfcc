package io.trafficcoordinator.balance.predictive;

import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.balance.StrategyConfig;
import io.trafficcoordinator.config.tree.ConfigObject;
import io.trafficcoordinator.config.tree.ConfigValues;
import java.time.Duration;
import java.util.Map;

/**
 * Parameters of {@code predictive-system}.
 *
 * @param horizon how far ahead latency is forecast (default 2 s): longer reacts earlier to a trend
 *     and more strongly to noise
 */
public record PredictiveConfig(Duration horizon) implements StrategyConfig {

  public static final PredictiveConfig DEFAULT = new PredictiveConfig(Duration.ofSeconds(2));

  public static PredictiveConfig bind(ConfigObject p) {
    return new PredictiveConfig(p.duration("horizon", DEFAULT.horizon, Duration.ZERO, Duration.ofMinutes(1)));
  }

  @Override
  public String name() {
    return PredictiveStrategy.NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of("horizon", ConfigValues.formatDuration(horizon));
  }

  @Override
  public Strategy create(BalancingContext context) {
    return new PredictiveStrategy(this, context.clock(), context.rngSource());
  }
}
