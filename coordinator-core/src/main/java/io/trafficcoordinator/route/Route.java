package io.trafficcoordinator.route;

import io.trafficcoordinator.config.RouteConfig;
import io.trafficcoordinator.ratelimit.RateLimitStore;
import io.trafficcoordinator.retry.RetryBudget;
import java.util.Locale;

/** A route compiled for matching: the checks in the order that is cheapest to fail first. */
public final class Route {

  private final RouteConfig config;
  private final String prefix;
  private final String exactHost;
  private final String hostSuffix;
  private final String[] methods;
  private final RetryBudget retryBudget;
  private final RateLimitStore rateLimits;

  public Route(RouteConfig config, RetryBudget retryBudget) {
    this(config, retryBudget, null);
  }

  /** @param rateLimits the buckets of the route's rate limit; null when it has none */
  public Route(RouteConfig config, RetryBudget retryBudget, RateLimitStore rateLimits) {
    this.config = config;
    this.retryBudget = retryBudget;
    this.rateLimits = rateLimits;
    this.prefix = config.pathPrefix();
    String host = config.host() == null ? null : config.host().toLowerCase(Locale.ROOT);
    this.exactHost = host != null && !host.startsWith("*.") ? host : null;
    this.hostSuffix = host != null && host.startsWith("*.") ? host.substring(1) : null;
    this.methods = config.methods().toArray(String[]::new);
  }

  public RouteConfig config() {
    return config;
  }

  /** The budget the route's retries draw on; shared by every request on the route. */
  public RetryBudget retryBudget() {
    return retryBudget;
  }

  /** The buckets of the route's rate limit ({@code config().rateLimit()}), or null when it has none. */
  public RateLimitStore rateLimits() {
    return rateLimits;
  }

  public String name() {
    return config.name();
  }

  /** Whether {@code path} (normalised) starts with the prefix at a segment boundary. */
  boolean matchesPath(String path) {
    if (!path.startsWith(prefix)) {
      return false;
    }
    return prefix.length() == 1 || path.length() == prefix.length() || path.charAt(prefix.length()) == '/';
  }

  /** {@code host} is lower case, without port. */
  boolean matchesHost(String host) {
    if (exactHost != null) {
      return exactHost.equals(host);
    }
    if (hostSuffix != null) {
      return host != null && host.length() > hostSuffix.length() && host.endsWith(hostSuffix);
    }
    return true;
  }

  boolean matchesMethod(String method) {
    if (methods.length == 0) {
      return true;
    }
    for (String m : methods) {
      if (m.equals(method)) {
        return true;
      }
    }
    return false;
  }

  /** The path to send to the endpoint: the matched prefix replaced when the route rewrites. */
  public String rewrite(String path) {
    String replacement = config.rewritePrefix();
    if (replacement == null) {
      return path;
    }
    String rest = prefix.length() == 1 ? path : path.substring(prefix.length());
    if (replacement.length() == 1) {
      return rest.isEmpty() ? "/" : rest;
    }
    return replacement + rest;
  }
}
