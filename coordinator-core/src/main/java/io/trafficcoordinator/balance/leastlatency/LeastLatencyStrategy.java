package io.trafficcoordinator.balance.leastlatency;

import io.trafficcoordinator.balance.NeutralLatency;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.Pickers;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.balance.p2c.PowerOfTwoChoices;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.EndpointStats;
import io.trafficcoordinator.random.Rng;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.NanoClock;

/**
 * {@code least-latency}: power of two choices over peak-EWMA latency, as Finagle's and Linkerd's
 * default balancers do.
 *
 * <pre>
 *   load(endpoint) = peakEwmaLatency(endpoint) * (inFlight(endpoint) + 1)
 *   pick = the lower load of two distinct endpoints drawn at random
 * </pre>
 *
 * <p>Good when endpoints differ in speed or one turns slow: a slow answer raises an endpoint's
 * estimate at once, and the in-flight factor steers away from endpoints that queue. Randomness and
 * the decay of idle estimates keep every endpoint probed, so none is starved for good (the failure
 * of pure least-time balancing). An endpoint with no samples yet is given a neutral estimate, the
 * mean of its peers' current estimates when the picker was built, so it is neither flooded nor
 * starved; with no samples anywhere the estimates are equal and the in-flight counts decide.
 * Failed requests count as at least the failure penalty (see {@code StatsSettings}), so a fast
 * error never looks attractive.
 */
public final class LeastLatencyStrategy implements Strategy {

  public static final String NAME = "least-latency";

  private final NanoClock clock;
  private final RngSource rngSource;

  public LeastLatencyStrategy(NanoClock clock, RngSource rngSource) {
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
    return new P2cPicker(candidates, NeutralLatency.of(candidates, clock.nanoTime()), rngSource.next(), clock);
  }

  private static final class P2cPicker implements Picker {
    private final Endpoint[] candidates;
    private final double neutralNanos;
    private final Rng rng;
    private final NanoClock clock;

    P2cPicker(Endpoint[] candidates, double neutralNanos, Rng rng, NanoClock clock) {
      this.candidates = candidates;
      this.neutralNanos = neutralNanos;
      this.rng = rng;
      this.clock = clock;
    }

    @Override
    public Selection pick(RequestContext context) {
      long now = clock.nanoTime();
      long pair = PowerOfTwoChoices.drawPair(candidates.length, rng);
      double first = load(candidates[PowerOfTwoChoices.first(pair)], now);
      double second = load(candidates[PowerOfTwoChoices.second(pair)], now);
      return Selection.start(candidates[PowerOfTwoChoices.lessLoaded(pair, first, second)], clock);
    }

    private double load(Endpoint endpoint, long now) {
      EndpointStats stats = endpoint.stats();
      double cost = stats.latencyNanos(now);
      if (Double.isNaN(cost)) {
        cost = neutralNanos;
      }
      return cost * (stats.inFlight() + 1);
    }
  }
}
