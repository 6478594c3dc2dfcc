package io.trafficcoordinator.random;

/**
 * A source of random numbers for pickers and jitter.
 *
 * <p>Injected rather than reached for, so that a test can seed it or script it (to force the pair
 * that power-of-two-choices compares). Implementations are thread-safe and never block.
 */
public interface Rng {

  /** A uniformly distributed int in {@code [0, bound)}; {@code bound} must be positive. */
  int nextInt(int bound);

  /** A uniformly distributed double in {@code [0, 1)}. */
  double nextDouble();

  /** The production source: {@link java.util.concurrent.ThreadLocalRandom}, no shared state. */
  static Rng threadLocal() {
    return ThreadLocalRng.INSTANCE;
  }
}
