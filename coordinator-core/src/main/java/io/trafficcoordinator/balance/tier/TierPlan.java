package io.trafficcoordinator.balance.tier;

import io.trafficcoordinator.endpoint.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * How a service with several priority tiers spreads its traffic, given which endpoints are
 * eligible: each tier's share ({@link TierLoad}) and the endpoints of each tier that may take it.
 *
 * <pre>
 *   healthy(t)  = configured weight of t's eligible endpoints / configured weight of all of t's
 *   health      = min(1, sum over t of min(1, 1.4 * healthy(t)))
 *   panic       when health < panic threshold: no plan, the whole service is used
 *   otherwise   load(t) = TierLoad.loads(healthy)
 * </pre>
 *
 * <p>A dead tier 0 beside a healthy tier 1 is failover, not panic: only the health of all tiers
 * together decides. Pure: endpoints and eligibility in, shares out.
 *
 * @param loads each tier's share of the traffic, lowest tier first, summing to 1
 * @param tiers every endpoint of each tier, in the same order
 * @param eligible the eligible endpoints of each tier, in the same order
 */
public record TierPlan(double[] loads, List<List<Endpoint>> tiers, List<List<Endpoint>> eligible) {

  /**
   * The plan for endpoints grouped by tier ({@code byTier}, lowest first) of which {@code up} are
   * eligible; empty when the tiers' total health is below {@code panicThreshold}.
   */
  public static Optional<TierPlan> of(SortedMap<Integer, List<Endpoint>> byTier, Set<Endpoint> up, double panicThreshold) {
    double[] healthy = new double[byTier.size()];
    List<List<Endpoint>> tiers = new ArrayList<>(byTier.size());
    List<List<Endpoint>> eligible = new ArrayList<>(byTier.size());
    int t = 0;
    for (List<Endpoint> tier : byTier.values()) {
      List<Endpoint> upInTier = new ArrayList<>();
      double total = 0;
      double upWeight = 0;
      for (Endpoint endpoint : tier) {
        total += endpoint.configuredWeight();
        if (up.contains(endpoint)) {
          upInTier.add(endpoint);
          upWeight += endpoint.configuredWeight();
        }
      }
      healthy[t++] = total == 0 ? 0 : upWeight / total;
      tiers.add(tier);
      eligible.add(List.copyOf(upInTier));
    }
    double health = 0;
    for (double share : healthy) {
      health += Math.min(1.0, TierLoad.OVERPROVISIONING * share);
    }
    if (Math.min(1.0, health) < panicThreshold) {
      return Optional.empty();
    }
    return Optional.of(new TierPlan(TierLoad.loads(healthy), List.copyOf(tiers), List.copyOf(eligible)));
  }

  /** Whether tier {@code t} takes traffic: it has a share and an eligible endpoint to take it. */
  public boolean takesTraffic(int t) {
    return loads[t] > 0 && !eligible.get(t).isEmpty();
  }
}
