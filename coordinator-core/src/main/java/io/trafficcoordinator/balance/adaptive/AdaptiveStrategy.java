package io.trafficcoordinator.balance.adaptive;

import io.trafficcoordinator.balance.AbstractStrategy;
import io.trafficcoordinator.balance.NeutralLatency;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.EndpointStats;
import io.trafficcoordinator.random.Rng;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.NanoClock;

/**
 * {@code adaptive-intelligent}: the lowest expected delay among three endpoints drawn at random,
 * widened to six more when the three are unusually bad; nothing for the user to tune.
 *
 * <pre>
 *   latency(e) = {@link NeutralLatency#expected}: the mean of recent answers, the peak EWMA after a failure
 *   delay(e)   = latency(e) * (inFlight(e) + 1)
 *   best       = the lowest delay of 3 distinct endpoints drawn at random (both when there are 2)
 *   if delay(best) > 1.5 * typical: best = the lowest delay among it and 6 more, in a row from a random place
 *   typical   += 8 % of (delay(best) - typical), on one pick in 8     the delay this picker usually gets
 * </pre>
 *
 * <p>It takes from each design what the lab showed to work. From Prequal (Wydrowski et al., NSDI
 * 2024): balance on requests in flight, the one signal that is never stale because we count it as
 * we send, together with latency, and probe more than two endpoints: a third candidate finds an
 * idle, fast endpoint far more often at high utilisation. From least-latency (Finagle's peak EWMA):
 * react to a failing endpoint on its first failure. Where the evidence is clean, the mean: a peak
 * estimate sits on the latest outlier for seconds, which with mixed-speed endpoints sends requests
 * to slower ones. And it adapts how hard it looks: random sampling's weakness is the unlucky draw
 * of three busy or slow endpoints while better ones idle, which is exactly when the tail is made;
 * then, and only then (4 to 20 % of picks in the lab), it looks at six more. The threshold is
 * relative to what the picker usually gets, so it follows the fleet's speed and load with no
 * setting, and a pick never looks at more than nine endpoints. In the lab's heterogeneous fleet the
 * wider look takes about a tenth off p99.
 *
 * <p>Prequal's hot–cold screen (skip candidates whose in-flight count is above a learned quantile)
 * was measured in the lab and dropped: with endpoints of unequal speed it sent requests to an idle
 * slow endpoint whenever the fast candidates were busy, doubling the slow-node p99.9.
 *
 * <p>Choose it when you do not know your fleet: across the lab's scenarios its p99 is the best or
 * within a few percent of the best (see docs/LAB.md), and it beats round robin wherever round robin
 * is not already optimal.
 */
public final class AdaptiveStrategy extends AbstractStrategy {

  public static final String NAME = "adaptive-intelligent";

  static final double SCAN_FACTOR = 1.5;
  static final double TYPICAL_GAIN = 0.01;
  static final int TYPICAL_SAMPLING = 8;
  static final int WIDER_LOOK = 6;

  public AdaptiveStrategy(NanoClock clock, RngSource rngSource) {
    super(NAME, clock, rngSource);
  }

  @Override
  protected Picker choose(EndpointSet endpoints) {
    Endpoint[] candidates = endpoints.endpoints().toArray(Endpoint[]::new);
    return new ThreeChoicePicker(candidates, NeutralLatency.of(candidates, clock.nanoTime()), rngSource.next());
  }

  private final class ThreeChoicePicker implements Picker {
    private final Endpoint[] candidates;
    private final double neutralNanos;
    private final Rng rng;
    /**
     * An average of the costs this picker chose, moving 8 % on one pick in eight. Read and written without
     * synchronisation on purpose: a lost update between two concurrent picks changes nothing that
     * the next picks do not correct.
     */
    private volatile double typicalCost;

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
      double typical = typicalCost;
      if (typical > 0 && bestCost > SCAN_FACTOR * typical) {
        // All three candidates are unusually bad (they share a slow or queued-up part of the fleet):
        // look further rather than take the least bad of a poor sample. At most WIDER_LOOK more,
        // from a random place, so that a pick stays bounded however large the service.
        int look = Math.min(n, WIDER_LOOK);
        int from = rng.nextInt(n);
        for (int i = 0; i < look; i++) {
          int index = from + i < n ? from + i : from + i - n;
          Endpoint endpoint = candidates[index];
          EndpointStats stats = endpoint.stats();
          double cost = NeutralLatency.expected(stats, now, 0L, neutralNanos) * (stats.inFlight() + 1);
          if (cost < bestCost) {
            best = endpoint;
            bestCost = cost;
          }
        }
      }
      // One pick in eight updates the shared average (with eight times the gain): pickers on other
      // event loops then rarely contend for its cache line.
      if (typical <= 0) {
        typicalCost = bestCost;
      } else if (rng.nextInt(TYPICAL_SAMPLING) == 0) {
        typicalCost = typical + TYPICAL_GAIN * TYPICAL_SAMPLING * (bestCost - typical);
      }
      return Selection.start(best, clock);
    }
  }
}
