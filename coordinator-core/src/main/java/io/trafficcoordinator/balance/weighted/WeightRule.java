package io.trafficcoordinator.balance.weighted;

import io.trafficcoordinator.endpoint.Endpoint;

/**
 * Computes effective weights for a {@link WeightedCyclePicker} each time its cycle is rebuilt.
 * Called by one thread at a time per picker, off the per-request path except for the one request
 * that finds the cycle due; may keep state between calls.
 */
@FunctionalInterface
public interface WeightRule {

  /**
   * Writes each endpoint's effective weight at {@code nowNanos} into {@code weights} (same order
   * as {@code endpoints}); a weight of zero or less takes the endpoint out of the cycle.
   */
  void weigh(Endpoint[] endpoints, long nowNanos, double[] weights);
}
