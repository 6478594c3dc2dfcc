package io.trafficcoordinator.balance;

import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointStats;
import io.trafficcoordinator.time.NanoClock;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The result of one pick: an endpoint and the handle that reports how the request went, or no
 * endpoint and the reason.
 *
 * <p>Creating a selection counts the request in flight on the endpoint; exactly one of
 * {@link #succeed()}, {@link #fail()} or {@link #ignore()} ends it. The first call wins and later
 * calls do nothing, so the proxy can complete from whichever event comes first (response end,
 * reset, timeout, client gone) without double counting. Thread-safe. On a "none" selection the
 * completion methods do nothing.
 *
 * <p>Between the start and the completion, a caller that sees the request go out and its answer
 * begin reports both: {@link #sent()} when the request has gone in full, {@link #answered()} when
 * the answer's head arrives. The endpoint's silence (a black hole) is measured from them, and the
 * latency a completion records is the time to the answer's head, however long its body takes. Both
 * are optional and are called by the request's owner, on its thread, before the completion.
 */
public final class Selection {

  private static final AtomicIntegerFieldUpdater<Selection> COMPLETED =
      AtomicIntegerFieldUpdater.newUpdater(Selection.class, "completed");

  private final Endpoint endpoint;
  private final NoEndpointReason reason;
  private final NanoClock clock;
  private final long startNanos;
  private volatile int completed;
  private boolean sent;
  private long sentNanos;
  /** When the answer's head arrived; 0 until then. */
  private long answeredNanos;

  private Selection(Endpoint endpoint, NanoClock clock) {
    this.endpoint = endpoint;
    this.reason = null;
    this.clock = clock;
    this.startNanos = clock.nanoTime();
  }

  /** Only for {@link NoEndpointReason}'s preallocated instances. */
  Selection(NoEndpointReason reason) {
    this.endpoint = null;
    this.reason = reason;
    this.clock = null;
    this.startNanos = 0L;
    this.completed = 1;
  }

  /** Starts a request on {@code endpoint}: counts it in flight and notes the start time. */
  public static Selection start(Endpoint endpoint, NanoClock clock) {
    endpoint.stats().begin();
    return new Selection(endpoint, clock);
  }

  /** The preallocated "no endpoint" selection for {@code reason}. */
  public static Selection none(NoEndpointReason reason) {
    return reason.selection;
  }

  public boolean isNone() {
    return endpoint == null;
  }

  /** The chosen endpoint; null when {@link #isNone()}. */
  public Endpoint endpoint() {
    return endpoint;
  }

  /** Why nothing was chosen; null when an endpoint was. */
  public NoEndpointReason reason() {
    return reason;
  }

  /** The whole request has gone to the endpoint: its answer is owed from now on. */
  public void sent() {
    if (endpoint != null && !sent && answeredNanos == 0 && completed == 0) {
      sent = true;
      sentNanos = clock.nanoTime();
      stats().answerWatch().awaitAnswer(sentNanos);
    }
  }

  /**
   * Whether the endpoint was found stalled or ejected after this request went to it in full: its
   * answer is not coming, and a try may be given up. Verdicts from before it was sent (a pick in
   * panic mode, say) do not count: the request was sent knowing them.
   */
  public boolean judgedSinceSent() {
    return endpoint != null && sent && stats().judgedSince(sentNanos, clock.nanoTime());
  }

  /** The head of the endpoint's answer arrived; its outcome is told later, once the body has ended. */
  public void answered() {
    if (endpoint != null && answeredNanos == 0 && completed == 0) {
      long now = clock.nanoTime();
      answeredNanos = now == 0 ? 1 : now;
      if (sent) {
        stats().answerWatch().answerArrived(now);
      }
    }
  }

  /** Whether {@link #answered()} was called. */
  public boolean isAnswered() {
    return answeredNanos != 0;
  }

  /** The endpoint answered in a way that says it is healthy (any status below 500). */
  public void succeed() {
    if (claim()) {
      long now = clock.nanoTime();
      if (answeredNanos == 0 && sent) {
        stats().answerWatch().answerArrived(now);
      }
      stats().endSuccess(answerLatency(now), now, startNanos);
    }
  }

  /**
   * The endpoint did not answer within the try's timeout: a failure, whose wait also counts among
   * the endpoint's answer latencies, so that a service that slows down as a whole raises its derived
   * per-try timeout instead of timing out every try at the old one.
   */
  public void failTimedOut() {
    if (!isCompleted() && endpoint != null) {
      long now = clock.nanoTime();
      stats().answers().record(now - startNanos, now);
    }
    fail();
  }

  /** The endpoint failed: connection refused or reset, timed out, answered 5xx, or cut its answer. */
  public void fail() {
    if (claim()) {
      long now = clock.nanoTime();
      stopWaiting();
      stats().endFailure(answerLatency(now), now, startNanos);
    }
  }

  /**
   * The endpoint was found stalled and this try, still waiting for its answer, is given up to be
   * sent elsewhere: a failure toward ejection, but not toward the circuit breaker.
   */
  public void abandon() {
    if (claim()) {
      long now = clock.nanoTime();
      stopWaiting();
      stats().endAbandoned(now - startNanos, now);
    }
  }

  /** The request ended for reasons that say nothing about the endpoint (the client went away). */
  public void ignore() {
    if (claim()) {
      stopWaiting();
      stats().endIgnored();
    }
  }

  private long answerLatency(long now) {
    return (answeredNanos != 0 ? answeredNanos : now) - startNanos;
  }

  private void stopWaiting() {
    if (sent && answeredNanos == 0) {
      stats().answerWatch().stopWaiting();
    }
  }

  /** Whether one of the completion methods has been called. */
  public boolean isCompleted() {
    return completed != 0;
  }

  private EndpointStats stats() {
    return endpoint.stats();
  }

  private boolean claim() {
    return COMPLETED.compareAndSet(this, 0, 1);
  }
}
