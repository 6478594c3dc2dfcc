package io.trafficcoordinator.endpoint;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The results of an endpoint's active health checks: whether it is healthy by the checker's
 * thresholds, and the share of its last eight checks that passed.
 *
 * <pre>
 *   healthy  -> unhealthy  after unhealthyThreshold consecutive failed checks
 *   unhealthy -> healthy   after healthyThreshold consecutive passed checks
 *   score = passed / checked over the last 8 checks; 1.0 before the first check
 * </pre>
 *
 * <p>An endpoint starts healthy, so that a service with no checks configured is never held back.
 * The whole state is one int (history bits, how many of the 8 are filled, the streak and the
 * verdict) changed by compare-and-set, so a reader never sees a verdict that disagrees with its
 * streak. Checks of one endpoint come from one checker, so contention is rare.
 */
public final class ActiveHealth {

  private static final int HISTORY_BITS = 8;
  private static final int HISTORY_MASK = (1 << HISTORY_BITS) - 1;
  private static final int FILLED_SHIFT = 8;
  private static final int STREAK_SHIFT = 12;
  private static final int UNHEALTHY_BIT = 1 << 30;

  private final AtomicInteger state = new AtomicInteger();

  /**
   * Records one check and applies the thresholds (each at least 1). Returns true when the verdict
   * changed with this check, so the caller can rebuild pickers and report the transition once.
   */
  public boolean record(boolean passed, int healthyThreshold, int unhealthyThreshold) {
    while (true) {
      int current = state.get();
      boolean wasHealthy = (current & UNHEALTHY_BIT) == 0;
      int history = ((current & HISTORY_MASK) << 1 | (passed ? 1 : 0)) & HISTORY_MASK;
      int filled = Math.min(HISTORY_BITS, ((current >>> FILLED_SHIFT) & 0xF) + 1);
      // The streak counts consecutive checks that disagree with the current verdict.
      boolean disagrees = passed != wasHealthy;
      int streak = disagrees ? Math.min(0xFF, ((current >>> STREAK_SHIFT) & 0xFF) + 1) : 0;
      boolean healthy = wasHealthy;
      if (disagrees && streak >= (wasHealthy ? unhealthyThreshold : healthyThreshold)) {
        healthy = !wasHealthy;
        streak = 0;
      }
      int next = history | filled << FILLED_SHIFT | streak << STREAK_SHIFT | (healthy ? 0 : UNHEALTHY_BIT);
      if (state.compareAndSet(current, next)) {
        return healthy != wasHealthy;
      }
    }
  }

  /** Forgets every check: healthy, full score. For a service whose checks were turned off. */
  public void reset() {
    state.set(0);
  }

  /** The verdict by the thresholds; true before any check. */
  public boolean isHealthy() {
    return (state.get() & UNHEALTHY_BIT) == 0;
  }

  /** The share of the last (up to) eight checks that passed; 1.0 before the first check. */
  public double score() {
    int current = state.get();
    int filled = (current >>> FILLED_SHIFT) & 0xF;
    if (filled == 0) {
      return 1.0;
    }
    int recent = current & HISTORY_MASK & ((1 << filled) - 1);
    return (double) Integer.bitCount(recent) / filled;
  }
}
