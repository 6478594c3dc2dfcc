package io.trafficcoordinator.random;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands each picker its own {@link Rng}, so that pickers (and coordinator instances) do not move in
 * lock step. Thread-safe.
 */
@FunctionalInterface
public interface RngSource {

  /** A generator for one new picker. */
  Rng next();

  /** Production: every picker draws from {@link Rng#threadLocal()}. */
  static RngSource threadLocal() {
    return Rng::threadLocal;
  }

  /** Deterministic: the n-th picker gets a generator seeded from {@code masterSeed} and n. */
  static RngSource seeded(long masterSeed) {
    AtomicLong counter = new AtomicLong();
    return () -> new SeededRng(SeededRng.mix(masterSeed ^ SeededRng.mix(counter.incrementAndGet())));
  }
}
