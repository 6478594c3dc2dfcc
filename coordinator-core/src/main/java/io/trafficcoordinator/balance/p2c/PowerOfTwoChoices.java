package io.trafficcoordinator.balance.p2c;

import io.trafficcoordinator.random.Rng;

/**
 * Power of two random choices (Mitzenmacher, "The Power of Two Choices in Randomized Load
 * Balancing", IEEE TPDS 2001): draw two distinct candidates uniformly, keep the less loaded.
 *
 * <p>Exponentially better maximum load than one random choice, and, unlike "always the global
 * minimum", robust to stale load figures: many pickers reading the same slightly old numbers do not
 * all herd onto one endpoint. The pair is drawn without a retry loop: {@code a = next(n)},
 * {@code b = next(n - 1)}, and {@code b} skips over {@code a}. The pair comes back packed in one
 * long so that the hot path allocates nothing.
 */
public final class PowerOfTwoChoices {

  private PowerOfTwoChoices() {}

  /** Two distinct indices in {@code [0, n)}, {@code n >= 2}, packed: read them with first/second. */
  public static long drawPair(int n, Rng rng) {
    int a = rng.nextInt(n);
    int b = rng.nextInt(n - 1);
    if (b >= a) {
      b++;
    }
    return ((long) a << 32) | (b & 0xFFFF_FFFFL);
  }

  public static int first(long pair) {
    return (int) (pair >>> 32);
  }

  public static int second(long pair) {
    return (int) pair;
  }

  /**
   * The index to take given the two loads: the second only when strictly less loaded. Ties go to
   * the first draw, which is itself uniformly random.
   */
  public static int lessLoaded(long pair, double firstLoad, double secondLoad) {
    return secondLoad < firstLoad ? second(pair) : first(pair);
  }
}
