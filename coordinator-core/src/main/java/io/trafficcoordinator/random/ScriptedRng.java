package io.trafficcoordinator.random;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays back a fixed script of values, cycling when it reaches the end: lets a test decide exactly
 * which endpoints a picker compares. Each {@code nextInt(bound)} returns the next scripted value
 * modulo {@code bound}; {@code nextDouble()} returns the next value divided by 1,000,000.
 */
public final class ScriptedRng implements Rng {

  private final int[] script;
  private final AtomicInteger position = new AtomicInteger();

  public ScriptedRng(int... script) {
    if (script.length == 0) {
      throw new IllegalArgumentException("a script needs at least one value");
    }
    this.script = script.clone();
  }

  private int next() {
    return script[Math.floorMod(position.getAndIncrement(), script.length)];
  }

  @Override
  public int nextInt(int bound) {
    return Math.floorMod(next(), bound);
  }

  @Override
  public double nextDouble() {
    return Math.floorMod(next(), 1_000_000) / 1_000_000.0;
  }
}
