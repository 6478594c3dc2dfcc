package io.trafficcoordinator.balance.roundrobin;

/**
 * Precomputes one full cycle of NGINX's smooth weighted round robin
 * ({@code ngx_http_upstream_get_peer}, 2012):
 *
 * <pre>
 *   for every pick:  current[i] += weight[i] for all i
 *                    best = the first i with the largest current[i]
 *                    current[best] -= total
 * </pre>
 *
 * <p>After {@code total} picks every current value is back to zero, so the sequence is periodic
 * with period {@code total}: computing it once turns each pick into an array read. The sequence is
 * deterministic, gives each endpoint exactly its weight's share per cycle, and spreads the picks of
 * a heavy endpoint out instead of sending them in a burst (weights 5,1,1 give a a b a c a a).
 *
 * <p>Weights are first divided by their greatest common divisor. If the cycle would still be longer
 * than {@link #MAX_CYCLE}, weights are scaled down proportionally (each stays at least 1), which
 * bounds memory at the cost of shares off by at most one pick per cycle per endpoint.
 */
public final class SmoothWeightedSchedule {

  /** Longest cycle kept: 64 Ki entries, 256 KiB. */
  public static final int MAX_CYCLE = 1 << 16;

  private SmoothWeightedSchedule() {}

  /** The cycle of endpoint indices for {@code weights}; each weight must be at least 1. */
  public static int[] cycle(int[] weights) {
    if (weights.length == 0) {
      return new int[0];
    }
    int[] reduced = reduce(weights);
    int total = 0;
    for (int w : reduced) {
      total += w;
    }
    int[] schedule = new int[total];
    long[] current = new long[reduced.length];
    for (int pick = 0; pick < total; pick++) {
      int best = 0;
      for (int i = 0; i < reduced.length; i++) {
        current[i] += reduced[i];
        if (current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= total;
      schedule[pick] = best;
    }
    return schedule;
  }

  static int[] reduce(int[] weights) {
    int gcd = 0;
    long total = 0;
    for (int w : weights) {
      if (w < 1) {
        throw new IllegalArgumentException("weights must be at least 1: " + w);
      }
      gcd = gcd(gcd, w);
      total += w;
    }
    total /= gcd;
    int[] reduced = new int[weights.length];
    double scale = total > MAX_CYCLE ? (double) MAX_CYCLE / total : 1.0;
    for (int i = 0; i < weights.length; i++) {
      reduced[i] = Math.max(1, (int) Math.floor(weights[i] / gcd * scale));
    }
    return reduced;
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
