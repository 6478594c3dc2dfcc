package io.trafficcoordinator.config;

import io.trafficcoordinator.config.tree.ConfigNode;
import io.trafficcoordinator.config.tree.ConfigObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of the control API: a rate limit per operation and client (the token's subject, or the
 * client's address when the token is not valid). Read at start only.
 *
 * @param rateLimits every operation's limit (defaults for those not configured)
 */
public record ControlApiConfig(Map<String, RateLimit> rateLimits) {

  /** A token bucket: {@code burst} requests at once, refilled at {@code perMinute}. */
  public record RateLimit(int perMinute, int burst) {}

  /** The operations and their default limits: changes lowest, reads highest. */
  public static final Map<String, RateLimit> DEFAULT_LIMITS = defaults();

  public static final ControlApiConfig DEFAULT = new ControlApiConfig(DEFAULT_LIMITS);

  public ControlApiConfig {
    rateLimits = Map.copyOf(rateLimits);
  }

  private static Map<String, RateLimit> defaults() {
    Map<String, RateLimit> limits = new LinkedHashMap<>();
    limits.put("configure-load-balancing", new RateLimit(10, 5));
    limits.put("config-rollback", new RateLimit(10, 5));
    limits.put("audit", new RateLimit(60, 10));
    limits.put("system-status", new RateLimit(300, 30));
    limits.put("group-integration-status", new RateLimit(300, 30));
    limits.put("config", new RateLimit(300, 30));
    limits.put("config-history", new RateLimit(300, 30));
    return Map.copyOf(limits);
  }

  static ControlApiConfig bind(ConfigNode node) {
    if (!node.isPresent()) {
      return DEFAULT;
    }
    ConfigObject o = node.asObject();
    Map<String, RateLimit> limits = new LinkedHashMap<>(DEFAULT_LIMITS);
    ConfigNode limitsNode = o.field("rateLimits");
    o.finish();
    if (limitsNode.isPresent()) {
      ConfigObject byOperation = limitsNode.asObject();
      for (String operation : DEFAULT_LIMITS.keySet()) {
        ConfigNode limitNode = byOperation.field(operation);
        if (limitNode.isPresent()) {
          ConfigObject limit = limitNode.asObject();
          RateLimit fallback = DEFAULT_LIMITS.get(operation);
          int perMinute = limit.integer("perMinute", fallback.perMinute(), 1, 100_000);
          int burst = limit.integer("burst", Math.min(perMinute, fallback.burst()), 1, 100_000);
          limit.finish();
          limits.put(operation, new RateLimit(perMinute, burst));
        }
      }
      byOperation.finish();
    }
    return new ControlApiConfig(limits);
  }
}
