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

  /**
   * Where the proxy should look for the caller's zone ({@link RequestContext#clientZone()}); only
   * zone-aware strategies say anything, the rest answer {@link ClientZones#NONE}.
   */
  default ClientZones clientZones() {
    return ClientZones.NONE;
  }

  /** A new strategy instance for one service. */
  Strategy create(BalancingContext context);
}
