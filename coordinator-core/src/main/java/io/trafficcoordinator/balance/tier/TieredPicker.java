package io.trafficcoordinator.balance.tier;

import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.random.Rng;

/**
 * Draws a tier by its share of the load ({@link TierLoad}), then lets that tier's picker choose.
 * Built off the request path whenever eligibility changes; a pick is one random draw and a scan of
 * a few cumulative shares.
 */
public final class TieredPicker implements Picker {

  private final double[] cumulative;
  private final Picker[] tiers;
  private final Rng rng;

  /** @param loads each tier's share (summing to 1); tiers with no share get a null picker */
  public TieredPicker(double[] loads, Picker[] tiers, Rng rng) {
    this.cumulative = new double[loads.length];
    double sum = 0;
    int last = -1;
    for (int t = 0; t < loads.length; t++) {
      sum += loads[t];
      cumulative[t] = sum;
      if (loads[t] > 0) {
        last = t;
      }
    }
    // Rounding must not leave draws unrouted: the last tier with a share closes the range.
    if (last >= 0) {
      cumulative[last] = 1.0;
    }
    this.tiers = tiers;
    this.rng = rng;
  }

  @Override
  public Selection pick(RequestContext context) {
    double draw = rng.nextDouble();
    for (int t = 0; t < cumulative.length; t++) {
      if (draw < cumulative[t] && tiers[t] != null) {
        return tiers[t].pick(context);
      }
    }
    for (Picker tier : tiers) {
      if (tier != null) {
        return tier.pick(context);
      }
    }
    return Selection.none(io.trafficcoordinator.balance.NoEndpointReason.NONE_ELIGIBLE);
  }
}
