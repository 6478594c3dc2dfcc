package io.trafficcoordinator.balance;

import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.time.NanoClock;

/** The pickers every strategy builds the same way: for no endpoint, and for exactly one. */
public final class Pickers {

  private static final Picker NO_ENDPOINTS = context -> Selection.none(NoEndpointReason.NO_ENDPOINTS);

  private Pickers() {}

  /**
   * A picker for a set with nothing to choose from (empty: "no endpoints"; one endpoint: always it),
   * or null when the strategy has a real choice to make.
   */
  public static Picker trivial(EndpointSet endpoints, NanoClock clock) {
    if (endpoints.isEmpty()) {
      return NO_ENDPOINTS;
    }
    if (endpoints.size() == 1) {
      Endpoint only = endpoints.get(0);
      return context -> Selection.start(only, clock);
    }
    return null;
  }
}
