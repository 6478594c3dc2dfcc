package io.trafficcoordinator.balance;

import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.outlier.EjectionReason;

/**
 * Where a service's balancer reports the state changes of its endpoints: the server logs, counts
 * and publishes them; the default does nothing. Called on whichever thread made the change (a
 * request's event loop, for an ejection); implementations must not block.
 */
public interface BalancerEvents {

  BalancerEvents NONE = new BalancerEvents() {};

  /** Passive outlier detection took {@code endpoint} out for {@code forNanos}, for the n-th time running. */
  default void ejected(String service, Endpoint endpoint, long forNanos, int times, EjectionReason reason) {}

  /** {@code endpoint} has answered nothing for {@code silentNanos} while its peers answer: it is not picked. */
  default void stalled(String service, Endpoint endpoint, long silentNanos, int waiting) {}

  /** {@code endpoint}, found stalled, answers again (or owes nothing): it is picked again. */
  default void stallEnded(String service, Endpoint endpoint) {}

  /** An ejection of {@code endpoint} ended; it takes requests again. */
  default void restored(String service, Endpoint endpoint) {}

  /** {@code endpoint}'s circuit opened: the rates over its window crossed their thresholds. */
  default void circuitOpened(String service, Endpoint endpoint, double failureRate, double slowRate) {}

  /** {@code endpoint}'s circuit lets trial requests through. */
  default void circuitHalfOpen(String service, Endpoint endpoint) {}

  /** {@code endpoint}'s trial requests succeeded: the circuit is closed again. */
  default void circuitClosed(String service, Endpoint endpoint) {}
}
