package io.trafficcoordinator.config;

import java.util.List;
import java.util.Optional;

/** A whole, validated configuration: immutable, as read from YAML or built by the control API. */
public record CoordinatorConfig(
    ListenersConfig listeners,
    LimitsConfig limits,
    ProxyConfig proxy,
    List<ServiceConfig> services,
    List<RouteConfig> routes,
    SecurityConfig security,
    StoreConfig store,
    ControlApiConfig controlApi) {

  public CoordinatorConfig {
    services = List.copyOf(services);
    routes = List.copyOf(routes);
  }

  public Optional<ServiceConfig> service(String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
