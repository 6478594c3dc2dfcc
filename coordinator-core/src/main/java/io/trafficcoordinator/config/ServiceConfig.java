package io.trafficcoordinator.config;

import io.trafficcoordinator.balance.StrategyConfig;
import io.trafficcoordinator.breaker.BreakerConfig;
import io.trafficcoordinator.limit.ConcurrencyLimitConfig;
import io.trafficcoordinator.outlier.OutlierConfig;
import java.util.List;

/**
 * A service: a named set of endpoints and how to balance over them.
 *
 * @param group the service group it belongs to, for grouped status (default "default")
 * @param preserveHost send the client's Host header to the endpoint (true) or the endpoint's own
 *     {@code host:port} (false, the default, as NGINX and Spring Cloud Gateway do)
 * @param healthCheck active health checks of the endpoints; null for none
 * @param outliers passive outlier ejection (on by default)
 * @param concurrencyLimit the adaptive concurrency limit (off by default)
 * @param breaker the circuit breaker of each endpoint (on by default)
 */
public record ServiceConfig(
    String name, String group, StrategyConfig strategy, boolean preserveHost, List<EndpointConfig> endpoints,
    HealthCheckConfig healthCheck, OutlierConfig outliers, ConcurrencyLimitConfig concurrencyLimit,
    BreakerConfig breaker) {

  public ServiceConfig {
    endpoints = List.copyOf(endpoints);
  }
}
