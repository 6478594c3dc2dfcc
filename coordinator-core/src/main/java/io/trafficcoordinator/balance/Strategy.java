package io.trafficcoordinator.balance;

import io.trafficcoordinator.endpoint.EndpointSet;

/**
 * A load-balancing algorithm configured for one service.
 *
 * <p>Two stages: {@link #newPicker} runs off the hot path whenever the service's snapshot changes
 * and may precompute anything; the picker it returns does the per-request work. Live stats belong
 * to the endpoints, so switching strategy keeps what was learned about them; what a strategy keeps
 * itself (smoothed weights) is derived from them and rebuilt within a few intervals, and the same
 * instance serves a service for as long as its strategy settings do not change.
 */
public interface Strategy {

  /** The configuration name, for example {@code round-robin}. */
  String name();

  /**
   * Builds a picker over {@code endpoints}; may allocate and take its time, never blocks on I/O.
   * Called by one thread at a time per service.
   */
  Picker newPicker(EndpointSet endpoints);
}
