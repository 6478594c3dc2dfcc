package io.trafficcoordinator.balance.p2c;

import io.trafficcoordinator.balance.NeutralLatency;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.Pickers;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.random.Rng;
import io.trafficcoordinator.time.NanoClock;

/**
 * Power of two choices over an {@link EndpointLoad}: the selector that least-latency,
 * predictive-system and the lab's least-request share, each with its own load (how to pick apart
 * from how loaded). The neutral latency for unmeasured endpoints is fixed when the picker is built.
 */
public final class LoadPicker implements Picker {

  private final Endpoint[] candidates;
  private final EndpointLoad load;
  private final double neutralNanos;
  private final Rng rng;
  private final NanoClock clock;

  private LoadPicker(Endpoint[] candidates, EndpointLoad load, Rng rng, NanoClock clock) {
    this.candidates = candidates;
    this.load = load;
    this.neutralNanos = NeutralLatency.of(candidates, clock.nanoTime());
    this.rng = rng;
    this.clock = clock;
  }

  /** A picker over {@code endpoints} by {@code load}; the trivial one for no or one endpoint. */
  public static Picker over(EndpointSet endpoints, EndpointLoad load, Rng rng, NanoClock clock) {
    Picker trivial = Pickers.trivial(endpoints, clock);
    return trivial != null ? trivial : new LoadPicker(endpoints.endpoints().toArray(Endpoint[]::new), load, rng, clock);
  }

  @Override
  public Selection pick(RequestContext context) {
    long now = clock.nanoTime();
    long pair = PowerOfTwoChoices.drawPair(candidates.length, rng);
    double first = load.load(candidates[PowerOfTwoChoices.first(pair)].stats(), now, neutralNanos);
    double second = load.load(candidates[PowerOfTwoChoices.second(pair)].stats(), now, neutralNanos);
    return Selection.start(candidates[PowerOfTwoChoices.lessLoaded(pair, first, second)], clock);
  }
}
