package io.trafficcoordinator.config;

import io.trafficcoordinator.balance.StrategyConfig;
import io.trafficcoordinator.balance.catalog.StrategyCatalog;
import io.trafficcoordinator.breaker.BreakerConfig;
import io.trafficcoordinator.config.tree.ConfigNode;
import io.trafficcoordinator.config.tree.ConfigObject;
import io.trafficcoordinator.endpoint.EndpointAddress;
import io.trafficcoordinator.limit.ConcurrencyLimitConfig;
import io.trafficcoordinator.outlier.OutlierConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads and checks {@code services}: names, strategies, endpoints. */
final class ServiceBinder {

  /** Names appear in metric labels and URLs: letters, digits, '.', '_', '-', at most 63. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final Pattern ENDPOINT_ID = Pattern.compile("[A-Za-z0-9][\\x21-\\x7E]{0,127}");
  private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private ServiceBinder() {}

  /**
   * Reads every service; adds to {@code declaredNames} every name written, even of a service with
   * other problems, so that routes naming it are not reported a second time.
   */
  static List<ServiceConfig> services(List<ConfigNode> nodes, java.util.Set<String> declaredNames) {
    List<ServiceConfig> services = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (ConfigNode node : nodes) {
      if (node.raw() instanceof Map<?, ?> raw && raw.get("name") instanceof String name) {
        declaredNames.add(name);
      }
      ServiceConfig service = service(node.asObject());
      if (service == null) {
        continue;
      }
      String earlier = seen.putIfAbsent(service.name(), node.path());
      if (earlier != null) {
        node.reading().problem(node.path() + ".name", "duplicate service name '" + service.name() + "' (first at " + earlier + ")");
        continue;
      }
      services.add(service);
    }
    return services;
  }

  /** One service object; null when it is unusable (its problems are reported). */
  static ServiceConfig service(ConfigObject node) {
    String name = node.requiredString("name");
    if (name != null && !NAME.matcher(name).matches()) {
      node.field("name").problem("must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
      name = null;
    }
    String group = node.string("group", "default");
    if (!NAME.matcher(group).matches()) {
      node.field("group").problem("must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    ConfigNode strategyNode = node.field("strategy");
    String strategyName = strategyNode.asString(null);
    ConfigObject parameters = node.object("strategyParameters");
    StrategyConfig strategy = strategyName == null
        ? defaultStrategy(parameters)
        : StrategyCatalog.bind(strategyNode, strategyName, parameters);
    boolean preserveHost = node.bool("preserveHost", false);
    List<EndpointConfig> endpoints = endpoints(node.list("endpoints"));
    HealthCheckConfig healthCheck = HealthCheckConfig.bind(node.field("healthCheck"));
    OutlierConfig outliers = OutlierConfig.bind(node.field("outlierDetection"));
    ConcurrencyLimitConfig concurrencyLimit = ConcurrencyLimitConfig.bind(node.field("concurrencyLimit"));
    BreakerConfig breaker = BreakerConfig.bind(node.field("circuitBreaker"));
    node.finish();
    if (name == null || strategy == null) {
      return null;
    }
    return new ServiceConfig(name, group, strategy, preserveHost, endpoints, healthCheck, outliers, concurrencyLimit,
        breaker);
  }

  private static StrategyConfig defaultStrategy(ConfigObject parameters) {
    StrategyConfig config = StrategyCatalog.defaultStrategy();
    parameters.finish();
    return config;
  }

  private static List<EndpointConfig> endpoints(List<ConfigNode> nodes) {
    List<EndpointConfig> endpoints = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (ConfigNode node : nodes) {
      EndpointConfig endpoint = endpoint(node.asObject());
      if (endpoint == null) {
        continue;
      }
      String earlier = seen.putIfAbsent(endpoint.id(), node.path());
      if (earlier != null) {
        node.reading().problem(node.path(), "duplicate endpoint '" + endpoint.id() + "' (first at " + earlier
            + "); give each endpoint a distinct url or id");
        continue;
      }
      endpoints.add(endpoint);
    }
    return endpoints;
  }

  static EndpointConfig endpoint(ConfigObject node) {
    String urlText = node.requiredString("url");
    URI url = null;
    EndpointAddress address = null;
    if (urlText != null) {
      try {
        url = new URI(urlText.trim());
        address = EndpointAddress.of(url);
      } catch (URISyntaxException | IllegalArgumentException e) {
        String why = e instanceof IllegalArgumentException ? e.getMessage() : "not an absolute http(s) URL";
        node.field("url").problem(why + ": '" + urlText + "'");
      }
    }
    String id = node.string("id", null);
    if (id != null && !ENDPOINT_ID.matcher(id).matches()) {
      node.field("id").problem("must be 1-128 visible ASCII characters without spaces");
      id = null;
    }
    int weight = node.integer("weight", 1, 1, 1000);
    String zone = node.string("zone", "");
    if (!zone.isEmpty() && !ZONE.matcher(zone).matches()) {
      node.field("zone").problem("must be 1-63 letters, digits, '.', '_' or '-'");
    }
    int tier = node.integer("tier", 0, 0, 9);
    double cost = node.number("costPerRequest", 0.0, 0.0, 1e9);
    node.finish();
    if (address == null) {
      return null;
    }
    String identity = id != null ? id : address.toString();
    return new EndpointConfig(identity, url, address, weight, zone, tier, cost);
  }
}
