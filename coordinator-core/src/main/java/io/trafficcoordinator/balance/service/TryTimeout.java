package io.trafficcoordinator.balance.service;

import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.ServiceAnswers;
import java.util.List;

/**
 * The per-try timeout of a route that sets none, derived from its service's measured latency:
 *
 * <pre>
 *   perTry = clamp(FACTOR × p99 of the service's answers over the last 10 s, FLOOR, route timeout)
 *   perTry = route timeout while those 10 s hold fewer than MINIMUM_ANSWERS (200) answers
 * </pre>
 *
 * <p>So a try stuck on an endpoint that answers everyone else in 5 ms is given up after half a
 * second and retried (idempotent requests, within the budget), instead of holding its client for
 * the route's whole timeout; a service that is slow by nature keeps a timeout its answers fit in.
 * Measured off the request path (about once a second); the request path reads one volatile field.
 */
public final class TryTimeout {

  public static final double QUANTILE = 0.99;
  public static final double FACTOR = 4;
  public static final long FLOOR_NANOS = 500_000_000L;
  /** Fewer, and the p99 is a few slowest answers, such as the first ones of new connections. */
  public static final long MINIMUM_ANSWERS = 200;

  /** FACTOR × the measured quantile; -1 until enough answers were seen. */
  private volatile long derivedNanos = -1;

  /** Measures the service's answers at {@code nowNanos}. */
  public void measure(List<Endpoint> endpoints, long nowNanos) {
    double quantile = ServiceAnswers.quantileNanos(endpoints, QUANTILE, MINIMUM_ANSWERS, nowNanos);
    derivedNanos = Double.isNaN(quantile) ? -1 : (long) Math.min(Long.MAX_VALUE / 2.0, FACTOR * quantile);
  }

  /** The per-try timeout on a route whose timeout is {@code routeTimeoutNanos}. */
  public long nanos(long routeTimeoutNanos) {
    long derived = derivedNanos;
    if (derived < 0) {
      return routeTimeoutNanos;
    }
    return Math.min(routeTimeoutNanos, Math.max(FLOOR_NANOS, derived));
  }
}
