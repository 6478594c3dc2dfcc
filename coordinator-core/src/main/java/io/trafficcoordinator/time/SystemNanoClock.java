package io.trafficcoordinator.time;

/** The one place in core that reads the JVM clock. */
enum SystemNanoClock implements NanoClock {
  INSTANCE;

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }
}
