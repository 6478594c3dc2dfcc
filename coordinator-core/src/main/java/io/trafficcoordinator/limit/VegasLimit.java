package io.trafficcoordinator.limit;

import java.util.concurrent.atomic.AtomicReference;

/**
 * An adaptive concurrency limit after TCP Vegas, as Netflix's concurrency-limits applies it to
 * services ({@code VegasLimit}):
 *
 * <pre>
 *   rttNoLoad = the lowest round trip seen (re-learnt every 1,000 samples)
 *   queue     = limit * (1 - rttNoLoad / rtt)          requests waiting somewhere downstream
 *   alpha = 3 * log10(limit), beta = 6 * log10(limit)
 *   queue <= alpha and the limit is in use: limit += log10(limit) per round trip
 *   queue >= beta:                           limit -= log10(limit) per round trip
 *   limit within [min, max]
 * </pre>
 *
 * <p>The limit behaves like a congestion window: it grows while requests come back as fast as an
 * idle service answers them and shrinks as soon as they start to queue, so the coordinator sends a
 * service no more concurrent requests than it can serve without queueing them. A limit that is not
 * in use (fewer than half of it in flight) does not grow: there is no evidence it could. Pure and
 * lock-free: the state is one immutable value swapped by compare-and-set.
 */
public final class VegasLimit {

  private record State(double limit, long rttNoLoadNanos, int samples) {}

  static final int PROBE_EVERY = 1000;

  private final int minLimit;
  private final int maxLimit;
  private final AtomicReference<State> state;

  public VegasLimit(int initialLimit, int minLimit, int maxLimit) {
    this.minLimit = minLimit;
    this.maxLimit = maxLimit;
    this.state = new AtomicReference<>(new State(Math.max(minLimit, Math.min(maxLimit, initialLimit)), 0L, 0));
  }

  /** The current limit on requests in flight. */
  public int limit() {
    return (int) state.get().limit;
  }

  /** One request came back after {@code rttNanos}, sent while {@code inFlight} were in flight. */
  public void onSample(long rttNanos, int inFlight) {
    if (rttNanos <= 0) {
      return;
    }
    while (true) {
      State s = state.get();
      int samples = s.samples + 1;
      long rttNoLoad = s.rttNoLoadNanos == 0 || samples % PROBE_EVERY == 0 ? rttNanos : Math.min(s.rttNoLoadNanos, rttNanos);
      double limit = s.limit;
      double queue = limit * (1.0 - (double) rttNoLoad / rttNanos);
      double step = Math.max(1.0, Math.log10(limit));
      double alpha = 3 * step;
      double beta = 6 * step;
      // TCP Vegas adjusts once per round trip; a sample is one request of the limit's worth in a
      // round trip, so each moves the limit by step / limit: log10(limit) per round trip, without
      // the overshoot that a full step per sample causes while the evidence is a round trip late.
      if (queue <= alpha && inFlight * 2 >= limit) {
        limit += step / limit;
      } else if (queue >= beta) {
        limit -= step / limit;
      }
      limit = Math.max(minLimit, Math.min(maxLimit, limit));
      if (state.compareAndSet(s, new State(limit, rttNoLoad, samples))) {
        return;
      }
    }
  }
}
