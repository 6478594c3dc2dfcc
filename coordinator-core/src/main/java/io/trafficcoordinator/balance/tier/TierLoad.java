package io.trafficcoordinator.balance.tier;

/**
 * How a service's traffic is split over its priority tiers (Envoy's priority levels):
 *
 * <pre>
 *   health(t) = min(1, 1.4 * healthy share of tier t)          1.4: the overprovisioning factor
 *   load(0)   = health(0)
 *   load(t)   = min(health(t), 1 - load(0) - ... - load(t - 1))
 *   if the loads sum to less than 1, they are scaled up to 1     (everything degraded: use what is left)
 * </pre>
 *
 * <p>Tier 0 takes all traffic while at least 1/1.4 (71 %) of it is healthy: a tier at 70 % healthy
 * still takes 98 %; the rest spills to tier 1, then 2, in proportion as tiers degrade, and returns
 * as they recover. Pure: shares in, shares out.
 */
public final class TierLoad {

  public static final double OVERPROVISIONING = 1.4;

  private TierLoad() {}

  /** The share of traffic per tier, lowest tier first, from each tier's healthy share (0..1). */
  public static double[] loads(double[] healthyShares) {
    double[] loads = new double[healthyShares.length];
    double assigned = 0;
    for (int t = 0; t < healthyShares.length; t++) {
      double health = Math.min(1.0, OVERPROVISIONING * healthyShares[t]);
      loads[t] = Math.max(0.0, Math.min(health, 1.0 - assigned));
      assigned += loads[t];
    }
    if (assigned > 0 && assigned < 1.0) {
      for (int t = 0; t < loads.length; t++) {
        loads[t] /= assigned;
      }
    }
    return loads;
  }
}
