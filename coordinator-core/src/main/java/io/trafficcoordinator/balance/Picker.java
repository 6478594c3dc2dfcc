package io.trafficcoordinator.balance;

/**
 * Chooses endpoints from one immutable snapshot. Built by {@link Strategy#newPicker}; replaced
 * whole when the snapshot changes.
 */
@FunctionalInterface
public interface Picker {

  /**
   * Chooses an endpoint for one request. The hot path: thread-safe, lock-free, never blocks,
   * never throws, and allocates at most the returned selection. Returns
   * {@link Selection#none(NoEndpointReason)} when no endpoint can be chosen.
   */
  Selection pick(RequestContext context);
}
