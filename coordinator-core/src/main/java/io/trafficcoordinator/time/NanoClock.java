package io.trafficcoordinator.time;

/**
 * A monotonic clock in nanoseconds: the only source of time for windows, waits and timeouts.
 *
 * <p>Every class that needs time takes one in its constructor, so tests can drive it with a
 * {@link ManualClock}. Values are only meaningful as differences, as with {@link System#nanoTime()}.
 */
@FunctionalInterface
public interface NanoClock {

  /** The current reading; thread-safe, never blocks, never goes backwards. */
  long nanoTime();

  /** The JVM's monotonic clock. */
  static NanoClock system() {
    return SystemNanoClock.INSTANCE;
  }
}
