package io.trafficcoordinator.route;

import io.trafficcoordinator.config.RouteAuthConfig;
import io.trafficcoordinator.config.RouteConfig;
import io.trafficcoordinator.net.PathNormalizer;
import io.trafficcoordinator.retry.RetryBudget;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Finds the route for a request: the longest matching path prefix wins, then the route declared
 * first. Routes are sorted once, so a lookup is a scan that stops at the first match. Immutable
 * and thread-safe.
 */
public final class RouteTable {

  private final Route[] routes;
  private final String[] identityHeaders;

  /** Routes with fresh retry budgets. */
  public RouteTable(List<RouteConfig> configs) {
    this(configs, c -> new Route(c, new RetryBudget(c.retries().budget(), 0L)));
  }

  /**
   * Routes compiled by {@code compile}, which hands each its retry budget and rate limits (kept
   * across changes by the caller).
   */
  public RouteTable(List<RouteConfig> configs, Function<RouteConfig, Route> compile) {
    List<Route> compiled = new ArrayList<>(configs.size());
    configs.forEach(c -> compiled.add(compile.apply(c)));
    // List.sort is stable: among equal prefix lengths, declaration order stays.
    compiled.sort(Comparator.comparingInt((Route r) -> r.config().pathPrefix().length()).reversed());
    this.routes = compiled.toArray(Route[]::new);
    java.util.Set<String> names = new java.util.LinkedHashSet<>(
        List.of(RouteAuthConfig.DEFAULT_SUBJECT_HEADER, RouteAuthConfig.DEFAULT_ROLES_HEADER));
    for (RouteConfig config : configs) {
      if (config.auth() != null) {
        names.add(config.auth().subjectHeader());
        names.add(config.auth().rolesHeader());
      }
    }
    this.identityHeaders = names.toArray(String[]::new);
  }

  /**
   * The header names any route carries a verified identity in (the defaults, and every route's
   * own): removed from every request whatever route it takes, so that no endpoint behind the
   * coordinator ever gets them from a client.
   */
  public String[] identityHeaders() {
    return identityHeaders;
  }

  /**
   * The route for a request, or null when none matches.
   *
   * @param path the normalised path ({@link PathNormalizer})
   * @param host the Host header as sent (port and case are ignored), or null
   */
  public Route match(String method, String host, String path) {
    String bareHost = bareHost(host);
    for (Route route : routes) {
      if (route.matchesPath(path) && route.matchesHost(bareHost) && route.matchesMethod(method)) {
        return route;
      }
    }
    return null;
  }

  /** Lower case, without the port; IPv6 literals keep their brackets. */
  static String bareHost(String host) {
    if (host == null || host.isEmpty()) {
      return null;
    }
    int end = host.length();
    int colon = host.lastIndexOf(':');
    if (colon >= 0 && host.indexOf(']') < colon) {
      end = colon;
    }
    return host.substring(0, end).toLowerCase(Locale.ROOT);
  }
}
