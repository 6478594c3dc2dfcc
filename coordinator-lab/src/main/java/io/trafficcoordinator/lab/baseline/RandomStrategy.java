package io.trafficcoordinator.lab.baseline;

import io.trafficcoordinator.balance.AbstractStrategy;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.random.Rng;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.NanoClock;

/**
 * {@code random}, a reference policy for the lab only: every request to an endpoint drawn
 * uniformly. What any smarter strategy must beat; the supermarket model's one-choice baseline.
 */
public final class RandomStrategy extends AbstractStrategy {

  public static final String NAME = "random";

  public RandomStrategy(NanoClock clock, RngSource rngSource) {
    super(NAME, clock, rngSource);
  }

  @Override
  protected Picker choose(EndpointSet endpoints) {
    Endpoint[] candidates = endpoints.endpoints().toArray(Endpoint[]::new);
    Rng rng = rngSource.next();
    return context -> Selection.start(candidates[rng.nextInt(candidates.length)], clock);
  }
}
