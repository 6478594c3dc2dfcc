package io.trafficcoordinator.balance;

import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.NanoClock;

/**
 * What every strategy shares: its name, the clock and the source of per-picker random generators,
 * and the sets with nothing to choose from (no endpoint, or one) answered without asking it. A
 * strategy supplies {@link #choose} for sets of two or more.
 */
public abstract class AbstractStrategy implements Strategy {

  private final String name;
  protected final NanoClock clock;
  protected final RngSource rngSource;

  protected AbstractStrategy(String name, NanoClock clock, RngSource rngSource) {
    this.name = name;
    this.clock = clock;
    this.rngSource = rngSource;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Picker newPicker(EndpointSet endpoints) {
    Picker trivial = Pickers.trivial(endpoints, clock);
    return trivial != null ? trivial : choose(endpoints);
  }

  /** A picker over {@code endpoints}, two or more of them; the contract of {@link #newPicker}. */
  protected abstract Picker choose(EndpointSet endpoints);
}
