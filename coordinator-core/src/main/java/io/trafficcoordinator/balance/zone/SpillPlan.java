package io.trafficcoordinator.balance.zone;

/**
 * Where each zone's requests go when zones are unequally provisioned: Envoy's zone-aware routing,
 * with the residue spilled to the nearest zones first.
 *
 * <pre>
 *   demand[z], capacity[z]: shares of the service's requests and of its healthy capacity (each sums to 1)
 *   capacity[z] >= demand[z]:  all of z's requests stay in z
 *   otherwise:                 z keeps capacity[z] / demand[z] of them; the rest (a share of all
 *                              traffic) fills the spare capacity (capacity - demand) of other zones,
 *                              nearest first in z's spill order, and whatever is left spreads over
 *                              every other zone in proportion to its capacity
 * </pre>
 *
 * <p>"Same zone only" overloads small zones; "spread evenly" pays cross-zone latency for nothing.
 * This keeps the most traffic local that local capacity can carry while keeping requests per unit
 * of capacity about equal across zones. Pure: arrays in, arrays out.
 */
public final class SpillPlan {

  private SpillPlan() {}

  /**
   * Routing probabilities: {@code result[z][y]} is the share of zone z's requests sent to zone y.
   * Each row sums to 1 when any zone has capacity, and is all zeros otherwise.
   *
   * @param spillOrder for each zone, the other zones nearest first
   */
  public static double[][] route(double[] demand, double[] capacity, int[][] spillOrder) {
    int zones = demand.length;
    double[][] routing = new double[zones][zones];
    double[] spare = new double[zones];
    double totalCapacity = 0;
    for (int y = 0; y < zones; y++) {
      spare[y] = Math.max(0.0, capacity[y] - demand[y]);
      totalCapacity += capacity[y];
    }
    if (totalCapacity <= 0) {
      return routing;
    }
    for (int z = 0; z < zones; z++) {
      if (demand[z] <= 0) {
        // No measured demand from z: a request from it stays local if it can, else goes to the nearest zone that can.
        routing[z][capacity[z] > 0 ? z : nearestWithCapacity(z, capacity, spillOrder)] = 1.0;
        continue;
      }
      double local = Math.min(1.0, capacity[z] / demand[z]);
      routing[z][z] = local;
      double residual = (1.0 - local) * demand[z];
      for (int y : spillOrder[z]) {
        if (residual <= 0) {
          break;
        }
        double take = Math.min(residual, spare[y]);
        spare[y] -= take;
        routing[z][y] += take / demand[z];
        residual -= take;
      }
      if (residual > 1e-12) {
        spreadByCapacity(routing[z], z, residual / demand[z], capacity, totalCapacity);
      }
    }
    return routing;
  }

  private static void spreadByCapacity(double[] row, int z, double share, double[] capacity, double totalCapacity) {
    double others = totalCapacity - capacity[z];
    if (others <= 0) {
      row[z] += share;
      return;
    }
    for (int y = 0; y < row.length; y++) {
      if (y != z) {
        row[y] += share * capacity[y] / others;
      }
    }
  }

  private static int nearestWithCapacity(int z, double[] capacity, int[][] spillOrder) {
    for (int y : spillOrder[z]) {
      if (capacity[y] > 0) {
        return y;
      }
    }
    return z;
  }
}
