package io.trafficcoordinator.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to: for tests and for the simulator's virtual time. */
public final class ManualClock implements NanoClock {

  private final AtomicLong now;

  public ManualClock() {
    this(0L);
  }

  public ManualClock(long startNanos) {
    this.now = new AtomicLong(startNanos);
  }

  @Override
  public long nanoTime() {
    return now.get();
  }

  /** Moves time forward; a negative step is refused because the clock is monotonic. */
  public void advance(Duration step) {
    advanceNanos(step.toNanos());
  }

  public void advanceNanos(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("a monotonic clock cannot go back: " + nanos + "ns");
    }
    now.addAndGet(nanos);
  }
}
