package io.trafficcoordinator.telemetry;

import io.trafficcoordinator.ratelimit.RateLimiter;
import io.trafficcoordinator.time.NanoClock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How often a state-change line may be written: a retry budget spent and refilled, a circuit
 * opening, an endpoint ejected or checked out. Under a burst such a state can flip thousands of
 * times a second, and each line would block nothing but bury everything; so each subject (a route,
 * an endpoint) may write a few lines a second ({@value #BURST} at once, {@value #PER_SECOND} a
 * second after that), and the first line allowed after a quiet spell says how many were held back.
 * Lock-free; what is held back is only the log line, never the event, metric or state change.
 */
public final class StateChangeLog {

  static final int BURST = 3;
  static final int PER_SECOND = 2;

  private final NanoClock clock;
  private final RateLimiter lines = new RateLimiter(PER_SECOND * 60, BURST, 10_000);
  private final ConcurrentHashMap<String, AtomicLong> heldBack = new ConcurrentHashMap<>();

  public StateChangeLog(NanoClock clock) {
    this.clock = clock;
  }

  /**
   * Whether a line about {@code subject} may be written now: -1 when not (it is counted), else
   * how many lines about it were held back since the last one written (0 usually).
   */
  public long allow(String subject) {
    if (!lines.tryTake(subject, clock.nanoTime()).allowed()) {
      heldBack.computeIfAbsent(subject, s -> new AtomicLong()).incrementAndGet();
      return -1;
    }
    AtomicLong count = heldBack.get(subject);
    return count == null ? 0 : count.getAndSet(0);
  }

  /** {@code " (N similar lines held back)"} for a count from {@link #allow}, or nothing. */
  public static String heldBackNote(long count) {
    return count > 0 ? " (" + count + " similar line" + (count == 1 ? "" : "s") + " held back)" : "";
  }
}
