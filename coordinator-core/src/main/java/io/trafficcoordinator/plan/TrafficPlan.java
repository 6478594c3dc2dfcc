package io.trafficcoordinator.plan;

import io.trafficcoordinator.config.CoordinatorConfig;
import io.trafficcoordinator.route.RouteTable;
import java.util.Map;

/**
 * Everything the data plane needs to serve a request, compiled from one configuration version:
 * the route table and every service's picker. Immutable; the server publishes the current plan
 * through one atomic reference and a request uses the plan it started with to the end.
 */
public record TrafficPlan(long version, CoordinatorConfig config, RouteTable routes, Map<String, ServicePlan> services) {

  public TrafficPlan {
    services = Map.copyOf(services);
  }

  public ServicePlan service(String name) {
    return services.get(name);
  }
}
