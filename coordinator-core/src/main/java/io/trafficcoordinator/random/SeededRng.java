package io.trafficcoordinator.random;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic, thread-safe generator: SplitMix64 (Steele, Lea and Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014).
 *
 * <p>SplitMix64 is a counter passed through a mixing function, so advancing it is one atomic add
 * and drawing never needs a lock or a retry loop. Used with one thread, the sequence is fully
 * determined by the seed; with several, each draw is still uniform, only the interleaving varies.
 */
public final class SeededRng implements Rng {

  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
  private static final double DOUBLE_UNIT = 0x1.0p-53;

  private final AtomicLong state;

  public SeededRng(long seed) {
    this.state = new AtomicLong(seed);
  }

  long nextLong() {
    return mix(state.addAndGet(GOLDEN_GAMMA));
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  @Override
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    // Lemire's multiply-shift maps 32 random bits onto [0, bound); the bias is below 2^-32 * bound,
    // far under anything a balancer can observe, and it needs no rejection loop.
    long r = nextLong() >>> 32;
    return (int) ((r * bound) >>> 32);
  }

  @Override
  public double nextDouble() {
    return (nextLong() >>> 11) * DOUBLE_UNIT;
  }
}
