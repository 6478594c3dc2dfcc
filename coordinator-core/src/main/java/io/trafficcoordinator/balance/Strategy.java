package io.trafficcoordinator.balance;

import io.trafficcoordinator.endpoint.EndpointSet;

/**
 * A load-balancing algorithm configured for one service.
 *
 * <p>Two stages: {@link #newPicker} runs off the hot path whenever the service's snapshot changes
 * and may precompute anything; the picker it returns does the per-request work. A strategy holds
 * no per-endpoint state of its own that must survive a rebuild: live stats belong to the
 * endpoints, so switching strategy keeps what was learned.
 */
public interface Strategy {

  /** The configuration name, for example {@code round-robin}. */
  String name();

  /** Builds a picker over {@code endpoints}; may allocate and take its time, never blocks on I/O. */
  Picker newPicker(EndpointSet endpoints);
}
