package io.trafficcoordinator.lab.baseline;

import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.Pickers;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.balance.p2c.PowerOfTwoChoices;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.random.Rng;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.NanoClock;

/**
 * {@code least-request}, a reference policy for the lab only: Envoy's default, power of two
 * choices on requests in flight (equal weights). The strong simple baseline every latency-aware
 * strategy is measured against.
 */
public final class LeastRequestStrategy implements Strategy {

  public static final String NAME = "least-request";

  private final NanoClock clock;
  private final RngSource rngSource;

  public LeastRequestStrategy(NanoClock clock, RngSource rngSource) {
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
    return context -> {
      long pair = PowerOfTwoChoices.drawPair(candidates.length, rng);
      int first = candidates[PowerOfTwoChoices.first(pair)].stats().inFlight();
      int second = candidates[PowerOfTwoChoices.second(pair)].stats().inFlight();
      return Selection.start(candidates[PowerOfTwoChoices.lessLoaded(pair, first, second)], clock);
    };
  }
}
