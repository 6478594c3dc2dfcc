package io.trafficcoordinator.breaker;

import io.trafficcoordinator.window.OutcomeWindow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One endpoint's circuit breaker, after Resilience4j's state machine:
 *
 * <pre>
 *   closed    --(calls in 10 s >= minimumCalls and failure rate or slow-call rate >= threshold)--> open
 *   open      --(waitInOpen over, on the next request offered)--> half-open
 *   half-open --(halfOpenTrials trial calls all succeed, none slow)--> closed (a fresh window)
 *   half-open --(a trial fails or is slow)--> open
 * </pre>
 *
 * <p>The state is one small immutable value behind a compare-and-set (a closed state carries its
 * own sliding windows, so closing again starts them afresh); each transition is made by exactly
 * one thread, which reports it once. Results of requests that started before the circuit opened
 * are ignored while it is open. Lock-free; results and admissions come from any event loop.
 */
public final class CircuitBreaker {

  /** Where transitions are reported; called once per transition, on the thread that made it. */
  public interface Listener {
    /** Reports nothing: for a breaker whose transitions nobody watches (tests, simulations). */
    Listener NONE = new Listener() {
      @Override
      public void opened(double failureRate, double slowRate) {}

      @Override
      public void halfOpen() {}

      @Override
      public void closed() {}
    };

    void opened(double failureRate, double slowRate);

    void halfOpen();

    void closed();
  }

  private sealed interface State permits Closed, Open, HalfOpen {}

  private record Closed(OutcomeWindow outcomes, OutcomeWindow speed) implements State {}

  private record Open(long untilNanos) implements State {}

  private record HalfOpen(AtomicInteger permits, AtomicInteger passed) implements State {}

  private static final long WINDOW_NANOS = 10_000_000_000L;

  private final BreakerConfig config;
  private final Listener listener;
  private final AtomicReference<State> state;

  public CircuitBreaker(BreakerConfig config, Listener listener) {
    this.config = config;
    this.listener = listener;
    this.state = new AtomicReference<>(closed());
  }

  public BreakerConfig config() {
    return config;
  }

  private static Closed closed() {
    return new Closed(new OutcomeWindow(WINDOW_NANOS, 10), new OutcomeWindow(WINDOW_NANOS, 10));
  }

  /** Whether requests pass freely: one volatile read, for the request path. */
  public boolean isClosed() {
    return state.get() instanceof Closed;
  }

  /** Whether the circuit is open and still waiting at {@code nowNanos}. */
  public boolean isOpen(long nowNanos) {
    return state.get() instanceof Open open && nowNanos - open.untilNanos < 0;
  }

  /**
   * When the wait of a circuit that is open and waiting at {@code nowNanos} ends (a trial may then
   * go through); {@link Long#MAX_VALUE} when it is not waiting. One read of the state, so the answer
   * holds even while another thread moves the circuit on.
   */
  public long waitEndsNanos(long nowNanos) {
    return state.get() instanceof Open open && nowNanos - open.untilNanos < 0 ? open.untilNanos : Long.MAX_VALUE;
  }

  /**
   * Whether a request may go to the endpoint now: always when closed, never while open and
   * waiting, and half-open only while trial permits remain (the first request after the wait turns
   * an open circuit half-open).
   */
  public boolean admit(long nowNanos) {
    while (true) {
      State s = state.get();
      if (s instanceof Closed) {
        return true;
      }
      if (s instanceof Open open) {
        if (nowNanos - open.untilNanos < 0) {
          return false;
        }
        HalfOpen trial = new HalfOpen(new AtomicInteger(config.halfOpenTrials()), new AtomicInteger());
        if (state.compareAndSet(s, trial)) {
          listener.halfOpen();
        }
        continue;
      }
      return ((HalfOpen) s).permits.getAndDecrement() > 0;
    }
  }

  /** One call ended: {@code success} (any status below 500) after {@code rttNanos}. */
  public void onResult(boolean success, long rttNanos, long nowNanos) {
    State s = state.get();
    boolean slow = rttNanos >= config.slowCallDuration().toNanos();
    if (s instanceof Closed c) {
      if (success) {
        c.outcomes.recordSuccess(nowNanos);
      } else {
        c.outcomes.recordFailure(nowNanos);
      }
      if (slow) {
        c.speed.recordFailure(nowNanos);
      } else {
        c.speed.recordSuccess(nowNanos);
      }
      long failures = c.outcomes.failures(nowNanos);
      long calls = failures + c.outcomes.successes(nowNanos);
      if (calls < config.minimumCalls()) {
        return;
      }
      double failureRate = 100.0 * failures / calls;
      double slowRate = 100.0 * c.speed.failures(nowNanos) / calls;
      if ((failureRate >= config.failureRateThreshold() || slowRate >= config.slowCallRateThreshold())
          && state.compareAndSet(s, new Open(nowNanos + config.waitInOpen().toNanos()))) {
        listener.opened(failureRate, slowRate);
      }
    } else if (s instanceof HalfOpen h) {
      if (!success || slow) {
        if (state.compareAndSet(s, new Open(nowNanos + config.waitInOpen().toNanos()))) {
          listener.opened(success ? 0 : 100, slow ? 100 : 0);
        }
      } else if (h.passed.incrementAndGet() >= config.halfOpenTrials() && state.compareAndSet(s, closed())) {
        listener.closed();
      }
    }
    // Open: a request that started before the circuit opened says nothing about the trial to come.
  }
}
