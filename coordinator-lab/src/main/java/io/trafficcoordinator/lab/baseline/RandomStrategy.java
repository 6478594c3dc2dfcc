package io.trafficcoordinator.lab.baseline;

import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.Pickers;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.random.Rng;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.NanoClock;

/**
 * {@code random}, a reference policy for the lab only: every request to an endpoint drawn
 * uniformly. What any smarter strategy must beat; the supermarket model's one-choice baseline.
 */
public final class RandomStrategy implements Strategy {

  public static final String NAME = "random";

  private final NanoClock clock;
  private final RngSource rngSource;

  public RandomStrategy(NanoClock clock, RngSource rngSource) {
    this.clock = clock;
    this.rngSource = rngSource;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Picker newPicker(EndpointSet endpoints) {
    Picker trivial = Pickers.trivial(endpoints, clock);
    if (trivial != null) {
      return trivial;
    }
    Endpoint[] candidates = endpoints.endpoints().toArray(Endpoint[]::new);
    Rng rng = rngSource.next();
    return context -> Selection.start(candidates[rng.nextInt(candidates.length)], clock);
  }
}
