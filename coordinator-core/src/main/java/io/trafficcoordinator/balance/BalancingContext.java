package io.trafficcoordinator.balance;

import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.NanoClock;

/** What strategies are built with: the clock and the source of each picker's random numbers. */
public record BalancingContext(NanoClock clock, RngSource rngSource) {

  public static BalancingContext production() {
    return new BalancingContext(NanoClock.system(), RngSource.threadLocal());
  }
}
