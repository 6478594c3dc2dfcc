package io.trafficcoordinator.balance.cost;

import io.trafficcoordinator.balance.AbstractStrategy;
import io.trafficcoordinator.balance.NeutralLatency;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.balance.p2c.PowerOfTwoChoices;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.EndpointStats;
import io.trafficcoordinator.random.Rng;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.NanoClock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * {@code cost-performance-hybrid}: the cheapest endpoints that meet the service's latency
 * objective, traded against speed by α.
 *
 * <pre>
 *   expected(e) = latency(e) * (inFlight(e) + 1)             latency: the mean of recent answers (the
 *                                                             latency trend's level, faded when idle);
 *                                                             the peak EWMA after a recent failure
 *   meets(e)    = expected(e) <= objective
 *   score(e)    = (1 - α) * cost(e) / maxCost  +  α * expected(e) / objective
 *   pick        = the lowest score among endpoints that meet the objective;
 *                 the lowest expected latency if none does
 * </pre>
 *
 * <p>α = 0 fills the cheapest endpoints up to the objective and spills to dearer ones only as the
 * cheap ones slow down under load (the in-flight factor makes that immediate); α = 1 is
 * least-latency. Good for fleets that mix reserved and on-demand or spot capacity, or several
 * regions with different prices: the bill falls while the objective holds.
 *
 * <p>Endpoints of equal cost form a band, and within a band the candidate is the better of two
 * drawn at random (power of two choices), so equal-cost endpoints share load instead of the first
 * one taking it all; only when both draws miss the objective is the whole band searched. Bands are visited cheapest first and the visit stops as soon as a band's cost
 * term alone exceeds the best score found, so a pick usually looks at one or two bands.
 */
public final class CostPerformanceStrategy extends AbstractStrategy {

  public static final String NAME = "cost-performance-hybrid";

  private final double alpha;
  private final double objectiveNanos;

  public CostPerformanceStrategy(CostPerformanceConfig config, NanoClock clock, RngSource rngSource) {
    super(NAME, clock, rngSource);
    this.alpha = config.alpha();
    this.objectiveNanos = config.latencyObjective().toNanos();
  }

  @Override
  protected Picker choose(EndpointSet endpoints) {
    TreeMap<Double, List<Endpoint>> byCost = new TreeMap<>();
    double maxCost = 0;
    for (Endpoint endpoint : endpoints.endpoints()) {
      byCost.computeIfAbsent(endpoint.costPerRequest(), c -> new ArrayList<>()).add(endpoint);
      maxCost = Math.max(maxCost, endpoint.costPerRequest());
    }
    Endpoint[][] bands = byCost.values().stream().map(l -> l.toArray(Endpoint[]::new)).toArray(Endpoint[][]::new);
    double[] costTerms = new double[bands.length];
    int b = 0;
    for (double cost : byCost.keySet()) {
      costTerms[b++] = maxCost > 0 ? (1 - alpha) * cost / maxCost : 0.0;
    }
    return new BandPicker(bands, costTerms, NeutralLatency.of(endpoints.endpoints(), clock.nanoTime()), rngSource.next());
  }

  private final class BandPicker implements Picker {
    private final Endpoint[][] bands;
    private final double[] costTerms;
    private final double neutralNanos;
    private final Rng rng;

    BandPicker(Endpoint[][] bands, double[] costTerms, double neutralNanos, Rng rng) {
      this.bands = bands;
      this.costTerms = costTerms;
      this.neutralNanos = neutralNanos;
      this.rng = rng;
    }

    @Override
    public Selection pick(RequestContext context) {
      long now = clock.nanoTime();
      Endpoint best = null;
      double bestScore = Double.POSITIVE_INFINITY;
      Endpoint fastest = null;
      double fastestExpected = Double.POSITIVE_INFINITY;
      for (int b = 0; b < bands.length; b++) {
        if (costTerms[b] > bestScore) {
          break;
        }
        Endpoint[] band = bands[b];
        Endpoint candidate;
        double expected;
        if (band.length == 1) {
          candidate = band[0];
          expected = expected(candidate, now);
        } else {
          long pair = PowerOfTwoChoices.drawPair(band.length, rng);
          Endpoint first = band[PowerOfTwoChoices.first(pair)];
          Endpoint second = band[PowerOfTwoChoices.second(pair)];
          double e1 = expected(first, now);
          double e2 = expected(second, now);
          candidate = e2 < e1 ? second : first;
          expected = Math.min(e1, e2);
          if (expected > objectiveNanos && band.length > 2) {
            // Both draws miss the objective: look at the whole band before paying for a dearer one.
            for (Endpoint endpoint : band) {
              double e = expected(endpoint, now);
              if (e < expected) {
                candidate = endpoint;
                expected = e;
              }
            }
          }
        }
        if (expected < fastestExpected) {
          fastest = candidate;
          fastestExpected = expected;
        }
        if (expected <= objectiveNanos) {
          double score = costTerms[b] + alpha * expected / objectiveNanos;
          if (score < bestScore) {
            best = candidate;
            bestScore = score;
          }
        }
      }
      return Selection.start(best != null ? best : fastest, clock);
    }

    private double expected(Endpoint endpoint, long now) {
      EndpointStats stats = endpoint.stats();
      // The mean, not the peak: a peak estimate jumps on every slow outlier and would push cheap
      // endpoints over the objective on noise alone. After a failure the peak (with its penalty) it is.
      return NeutralLatency.expected(stats, now, 0L, neutralNanos) * (stats.inFlight() + 1);
    }
  }
}
