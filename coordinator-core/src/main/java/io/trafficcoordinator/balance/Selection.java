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
 */
public final class Selection {

  private static final AtomicIntegerFieldUpdater<Selection> COMPLETED =
      AtomicIntegerFieldUpdater.newUpdater(Selection.class, "completed");

  private final Endpoint endpoint;
  private final NoEndpointReason reason;
  private final NanoClock clock;
  private final long startNanos;
  private volatile int completed;

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

  /** The endpoint answered in a way that says it is healthy (any status below 500). */
  public void succeed() {
    if (claim()) {
      long now = clock.nanoTime();
      stats().endSuccess(now - startNanos, now);
    }
  }

  /** The endpoint failed: connection refused or reset, timed out, or answered 5xx. */
  public void fail() {
    if (claim()) {
      long now = clock.nanoTime();
      stats().endFailure(now - startNanos, now);
    }
  }

  /** The request ended for reasons that say nothing about the endpoint (the client went away). */
  public void ignore() {
    if (claim()) {
      stats().endIgnored();
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
