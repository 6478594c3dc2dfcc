package io.trafficcoordinator.plan;

import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.balance.service.ServiceBalancer;
import io.trafficcoordinator.config.ServiceConfig;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.limit.ServiceLimiter;

/**
 * One service as the current plan serves it: its settings, its balancer (endpoints, strategy,
 * picker) and its concurrency limiter (null when the service has none).
 */
public record ServicePlan(ServiceConfig config, ServiceBalancer balancer, ServiceLimiter limiter) {

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
