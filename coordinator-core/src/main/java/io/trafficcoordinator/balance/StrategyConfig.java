package io.trafficcoordinator.balance;

import java.util.Map;

/**
 * A strategy's name and validated parameters, as configured for one service. Each strategy has
 * its own record; it creates the strategy it describes.
 */
public interface StrategyConfig {

  /** The configuration name, for example {@code least-latency}. */
  String name();

  /** The parameters in their configuration form (durations as text), for display and export. */
  Map<String, Object> parameters();

  /** A new strategy instance for one service. */
  Strategy create(BalancingContext context);
}
