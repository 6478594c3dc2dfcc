package io.trafficcoordinator.config;

import io.trafficcoordinator.config.tree.ConfigNode;
import io.trafficcoordinator.config.tree.ConfigObject;
import io.trafficcoordinator.config.tree.ConfigReading;
import io.trafficcoordinator.config.tree.ConfigValues;
import io.trafficcoordinator.config.tree.InvalidConfigException;
import io.trafficcoordinator.net.Cidr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a parsed configuration tree (from YAML, or JSON from the control API) into a validated
 * {@link CoordinatorConfig}, reporting every problem at once with its path. Keys are camelCase,
 * unknown keys are errors, durations read {@code 250ms}/{@code 30s}/{@code 5m}, sizes {@code 64KiB}.
 */
public final class ConfigBinder {

  private ConfigBinder() {}

  /** The configuration in {@code tree}, or every problem with it. */
  public static CoordinatorConfig bind(Object tree) throws InvalidConfigException {
    ConfigReading reading = new ConfigReading();
    CoordinatorConfig config = read(tree, reading);
    if (reading.hasProblems()) {
      throw new InvalidConfigException(reading.problems());
    }
    return config;
  }

  /** Reads {@code tree}, recording problems in {@code reading}; the result is only valid without problems. */
  public static CoordinatorConfig read(Object tree, ConfigReading reading) {
    ConfigObject root = ConfigNode.root(tree, reading).asObject();
    ListenersConfig listeners = listeners(root.object("listeners"));
    LimitsConfig limits = limits(root.object("limits"));
    ProxyConfig proxy = proxy(root.object("proxy"));
    java.util.Set<String> serviceNames = new java.util.LinkedHashSet<>();
    List<ServiceConfig> services = ServiceBinder.services(root.list("services"), serviceNames);
    List<RouteConfig> routes = RouteBinder.routes(root.list("routes"), serviceNames, limits.maxBodyBytes());
    SecurityConfig security = SecurityConfig.bind(root.field("security"));
    StoreConfig store = StoreConfig.bind(root.field("store"));
    ControlApiConfig controlApi = ControlApiConfig.bind(root.field("controlApi"));
    root.finish();
    return new CoordinatorConfig(listeners, limits, proxy, services, routes, security, store, controlApi);
  }

  private static ListenersConfig listeners(ConfigObject node) {
    ListenerConfig data = listener(node.object("data"), ListenerConfig.DEFAULT_DATA);
    ListenerConfig control = listener(node.object("control"), ListenerConfig.DEFAULT_CONTROL);
    node.finish();
    if (data.port() != 0 && data.port() == control.port() && data.host().equals(control.host())) {
      node.field("control").problem("must not use the same address as the data listener (" + data + ")");
    }
    return new ListenersConfig(data, control);
  }

  private static ListenerConfig listener(ConfigObject node, ListenerConfig defaults) {
    String host = node.string("host", defaults.host());
    if (host.isBlank()) {
      node.field("host").problem("must not be empty");
      host = defaults.host();
    }
    int port = node.integer("port", defaults.port(), 0, 65535);
    TlsConfig tls = TlsConfig.bind(node.field("tls"));
    node.finish();
    return new ListenerConfig(host, port, tls);
  }

  private static LimitsConfig limits(ConfigObject node) {
    LimitsConfig d = LimitsConfig.DEFAULT;
    Duration ms = Duration.ofMillis(1);
    LimitsConfig limits = new LimitsConfig(
        node.size("maxHeaderBytes", d.maxHeaderBytes(), 1024, 1L << 20),
        node.integer("maxHeaderCount", d.maxHeaderCount(), 1, 10_000),
        node.size("maxBodyBytes", d.maxBodyBytes(), 0, Long.MAX_VALUE),
        node.size("minBodyBytes", d.minBodyBytes(), 0, 1L << 30),
        node.duration("bodyRateWindow", d.bodyRateWindow(), Duration.ofMillis(100), Duration.ofMinutes(10)),
        node.duration("headerReadTimeout", d.headerReadTimeout(), ms, ConfigValues.MAX_TIMEOUT),
        node.duration("clientIdleTimeout", d.clientIdleTimeout(), Duration.ofSeconds(1), ConfigValues.MAX_TIMEOUT),
        node.integer("maxClientConnections", d.maxClientConnections(), 1, 10_000_000),
        node.duration("upstreamConnectTimeout", d.upstreamConnectTimeout(), ms, ConfigValues.MAX_TIMEOUT),
        node.duration("upstreamIdleTimeout", d.upstreamIdleTimeout(), Duration.ofSeconds(1), ConfigValues.MAX_TIMEOUT),
        node.integer("maxConnectionsPerEndpoint", d.maxConnectionsPerEndpoint(), 1, 100_000),
        node.integer("maxPendingPerEndpoint", d.maxPendingPerEndpoint(), 0, 1_000_000),
        node.duration("drainTimeout", d.drainTimeout(), Duration.ZERO, Duration.ofMinutes(10)));
    node.finish();
    return limits;
  }

  private static ProxyConfig proxy(ConfigObject node) {
    List<Cidr> trusted = new ArrayList<>();
    for (ConfigNode entry : node.list("trustedProxies")) {
      String text = entry.asString(null);
      if (text == null) {
        continue;
      }
      try {
        trusted.add(Cidr.parse(text));
      } catch (IllegalArgumentException e) {
        entry.problem(e.getMessage());
      }
    }
    boolean accessLog = node.bool("accessLog", ProxyConfig.DEFAULT.accessLog());
    UpstreamTlsConfig upstreamTls = UpstreamTlsConfig.bind(node.field("upstreamTls"));
    String underscores = node.string("headersWithUnderscores", "drop");
    if (!underscores.equals("drop") && !underscores.equals("reject")) {
      node.field("headersWithUnderscores").problem("must be drop or reject, got '" + underscores + "'");
    }
    node.finish();
    return new ProxyConfig(trusted, accessLog, upstreamTls, "reject".equals(underscores));
  }
}
