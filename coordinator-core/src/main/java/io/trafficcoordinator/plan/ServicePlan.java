package io.trafficcoordinator.plan;

import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.config.ServiceConfig;
import io.trafficcoordinator.endpoint.EndpointSet;

/** One service as the current plan serves it: its settings, endpoint snapshot, strategy and picker. */
public record ServicePlan(ServiceConfig config, EndpointSet endpoints, Strategy strategy, Picker picker) {

  public String name() {
    return config.name();
  }
}
