package io.trafficcoordinator.balance.p2c;

import io.trafficcoordinator.endpoint.EndpointStats;

/**
 * How loaded an endpoint is, as one number, lower is better: what a {@link LoadPicker} compares.
 * Called on the request path: must not block, and should read only the endpoint's lock-free stats.
 */
@FunctionalInterface
public interface EndpointLoad {

  /** The load at {@code nowNanos}; {@code neutralNanos} stands in for a latency not yet measured. */
  double load(EndpointStats stats, long nowNanos, double neutralNanos);
}
