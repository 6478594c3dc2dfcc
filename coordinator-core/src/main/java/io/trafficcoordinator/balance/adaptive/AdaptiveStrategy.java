package io.trafficcoordinator.balance.adaptive;

import io.trafficcoordinator.balance.NeutralLatency;
import io.trafficcoordinator.balance.NoEndpointReason;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.EndpointStats;
import io.trafficcoordinator.random.Rng;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.NanoClock;

/**
 * {@code adaptive-intelligent}: the lowest expected delay among three endpoints drawn at random,
 * with a latency signal that adapts to what the endpoint is doing; nothing for the user to tune.
 *
 * <pre>
 *   candidates = 3 distinct endpoints drawn at random (both when there are only 2)
 *   latency(e) = mean of recent requests (Holt level, faded when idle)   while e has not failed recently
 *              = peak EWMA (failures counted at the 1 s penalty)          once it has, within the stats window
 *   delay(e)   = latency(e) * (inFlight(e) + 1)
 *   pick       = the candidate with the lowest delay
 * </pre>
 *
 * <p>It takes from each design what the lab showed to work. From Prequal (Wydrowski et al., NSDI
 * 2024): balance on requests in flight, the one signal that is never stale because we count it as
 * we send, together with latency, and probe more than two endpoints: a third candidate finds an
 * idle, fast endpoint far more often at high utilisation, and avoids a dead or stalled one when two
 * of three are. From least-latency (Finagle's peak EWMA): react to a failing endpoint on its first
 * failure. And where the evidence is clean, the mean: a peak estimate sits on the latest outlier
 * for seconds, which with mixed-speed endpoints sends requests to slower ones (in the lab's
 * heterogeneous fleet the peak alone cost 8 % of p99).
 *
 * <p>Prequal's hot–cold screen (skip candidates whose in-flight count is above a learned quantile)
 * was measured in the lab and dropped: with endpoints of unequal speed it sent requests to an idle
 * slow endpoint whenever the fast candidates were busy, doubling the slow-node p99.9.
 *
 * <p>Choose it when you do not know your fleet: across the lab's scenarios its p99 stays within
 * 10 % of the best strategy's (see docs/LAB.md), and it beats round robin wherever round robin is
 * not already optimal.
 */
public final class AdaptiveStrategy implements Strategy {

  public static final String NAME = "adaptive-intelligent";

  private final NanoClock clock;
  private final RngSource rngSource;

  public AdaptiveStrategy(NanoClock clock, RngSource rngSource) {
    this.clock = clock;
    this.rngSource = rngSource;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Picker newPicker(EndpointSet endpoints) {
    if (endpoints.isEmpty()) {
      return context -> Selection.none(NoEndpointReason.NO_ENDPOINTS);
    }
    Endpoint[] candidates = endpoints.endpoints().toArray(Endpoint[]::new);
    if (candidates.length == 1) {
      Endpoint only = candidates[0];
      return context -> Selection.start(only, clock);
    }
    return new ThreeChoicePicker(candidates, NeutralLatency.of(candidates, clock.nanoTime()), rngSource.next());
  }

  private final class ThreeChoicePicker implements Picker {
    private final Endpoint[] candidates;
    private final double neutralNanos;
    private final Rng rng;
    ThreeChoicePicker(Endpoint[] candidates, double neutralNanos, Rng rng) {
      this.candidates = candidates;
      this.neutralNanos = neutralNanos;
      this.rng = rng;
    }

    @Override
    public Selection pick(RequestContext context) {
      long now = clock.nanoTime();
      int n = candidates.length;
      // Three distinct indices without a retry loop: each later draw skips over the earlier ones.
      int a = rng.nextInt(n);
      int b = rng.nextInt(n - 1);
      if (b >= a) {
        b++;
      }
      int c = -1;
      if (n > 2) {
        c = rng.nextInt(n - 2);
        int low = Math.min(a, b);
        int high = Math.max(a, b);
        if (c >= low) {
          c++;
        }
        if (c >= high) {
          c++;
        }
      }
      Endpoint best = null;
      double bestCost = Double.POSITIVE_INFINITY;
      for (int k = 0; k < 3; k++) {
        int index = k == 0 ? a : k == 1 ? b : c;
        if (index < 0) {
          break;
        }
        Endpoint endpoint = candidates[index];
        EndpointStats stats = endpoint.stats();
        int inFlight = stats.inFlight();
        double cost = NeutralLatency.expected(stats, now, 0L, neutralNanos) * (inFlight + 1);
        if (cost < bestCost) {
          best = endpoint;
          bestCost = cost;
        }
      }
      return Selection.start(best, clock);
    }
  }
}
