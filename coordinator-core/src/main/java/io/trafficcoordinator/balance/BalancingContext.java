package io.trafficcoordinator.balance;

import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.NanoClock;

/**
 * What strategies and balancers are built with: the clock, the source of each picker's random
 * numbers, and where balancers report endpoint state changes.
 */
public record BalancingContext(NanoClock clock, RngSource rngSource, BalancerEvents events) {

  public BalancingContext(NanoClock clock, RngSource rngSource) {
    this(clock, rngSource, BalancerEvents.NONE);
  }

  /** The same context reporting to {@code sink}. */
  public BalancingContext withEvents(BalancerEvents sink) {
    return new BalancingContext(clock, rngSource, sink);
  }
}
