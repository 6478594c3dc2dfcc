package io.trafficcoordinator.random;

import java.util.concurrent.ThreadLocalRandom;

/** Each thread draws from its own generator, so concurrent pickers never contend. */
enum ThreadLocalRng implements Rng {
  INSTANCE;

  @Override
  public int nextInt(int bound) {
    return ThreadLocalRandom.current().nextInt(bound);
  }

  @Override
  public double nextDouble() {
    return ThreadLocalRandom.current().nextDouble();
  }
}
