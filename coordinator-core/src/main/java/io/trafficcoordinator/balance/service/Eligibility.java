package io.trafficcoordinator.balance.service;

import io.trafficcoordinator.breaker.CircuitBreaker;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of a service's endpoints may take requests at one moment (DESIGN's eligibility stage), and
 * when that changes by itself next:
 *
 * <pre>
 *   eligible(e, now) = e's active checks call it healthy
 *                      and passive outlier detection does not have it ejected at now
 *                      and its circuit is not open (waiting) at now
 *                      and stall detection does not find it silent
 *   nextChange       = the earliest end of an ejection or an open circuit in force; MAX_VALUE if none
 * </pre>
 *
 * <p>A pure function of the endpoints' state and the time: it reads their lock-free stats and
 * changes nothing, so the balancer can compute it on whichever thread rebuilds and a test can
 * compute it on a fake clock.
 *
 * @param eligible the endpoints that may take requests, in the service's order
 * @param ejected the endpoints passive outlier detection has out, in the service's order
 * @param nextChangeNanos when an ejection or an open circuit ends next ({@link Long#MAX_VALUE}: none
 *     in force); at that moment eligibility must be computed again
 */
public record Eligibility(List<Endpoint> eligible, List<Endpoint> ejected, long nextChangeNanos) {

  /** Nobody ejected, nothing to wait for: the eligibility of a balancer before its first rebuild. */
  public static final Eligibility NONE_YET = new Eligibility(List.of(), List.of(), Long.MAX_VALUE);

  public Eligibility {
    eligible = List.copyOf(eligible);
    ejected = List.copyOf(ejected);
  }

  /** The eligibility of {@code endpoints} at {@code nowNanos}. */
  public static Eligibility of(EndpointSet endpoints, long nowNanos) {
    long next = Long.MAX_VALUE;
    List<Endpoint> ejected = new ArrayList<>();
    List<Endpoint> eligible = new ArrayList<>(endpoints.size());
    for (Endpoint endpoint : endpoints.endpoints()) {
      CircuitBreaker breaker = endpoint.stats().breaker();
      long waitEnds = breaker == null ? Long.MAX_VALUE : breaker.waitEndsNanos(nowNanos);
      boolean open = waitEnds != Long.MAX_VALUE;
      if (open) {
        next = earlier(next, waitEnds);
      }
      boolean out = endpoint.stats().isEjected(nowNanos);
      if (out) {
        ejected.add(endpoint);
        next = earlier(next, endpoint.stats().ejectedUntilNanos());
      }
      if (endpoint.stats().activeHealth().isHealthy() && !out && !open && !endpoint.stats().answerWatch().isStalled()) {
        eligible.add(endpoint);
      }
    }
    return new Eligibility(eligible, ejected, next);
  }

  /**
   * Whether too few endpoints are eligible to trust the health signal (Envoy's panic mode): fewer
   * than {@code threshold} of {@code serviceSize}. An empty service never panics.
   */
  public boolean panics(double threshold, int serviceSize) {
    return serviceSize > 0 && eligible.size() < threshold * serviceSize;
  }

  /** Whether an ejection or an open circuit is in force, so that eligibility changes by itself later. */
  public boolean awaitsChange() {
    return nextChangeNanos != Long.MAX_VALUE;
  }

  /** Whether a change is due at {@code nowNanos}: an ejection or an open circuit has ended. */
  public boolean changeDue(long nowNanos) {
    return awaitsChange() && nowNanos - nextChangeNanos >= 0;
  }

  /** Monotonic nano times wrap: "earlier" is by difference, never by plain comparison. */
  private static long earlier(long current, long candidate) {
    return current == Long.MAX_VALUE || candidate - current < 0 ? candidate : current;
  }
}
