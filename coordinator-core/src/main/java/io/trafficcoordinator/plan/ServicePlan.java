package io.trafficcoordinator.plan;

import io.trafficcoordinator.balance.ServiceBalancer;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.config.ServiceConfig;
import io.trafficcoordinator.endpoint.EndpointSet;

/** One service as the current plan serves it: its settings and its balancer (endpoints, strategy, picker). */
public record ServicePlan(ServiceConfig config, ServiceBalancer balancer) {

  public String name() {
    return config.name();
  }

  /** Every endpoint of the service, eligible or not. */
  public EndpointSet endpoints() {
    return balancer.endpoints();
  }

  public Strategy strategy() {
    return balancer.strategy();
  }
}
