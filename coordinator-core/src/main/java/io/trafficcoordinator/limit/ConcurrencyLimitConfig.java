package io.trafficcoordinator.limit;

import io.trafficcoordinator.config.tree.ConfigNode;
import io.trafficcoordinator.config.tree.ConfigObject;

/**
 * A service's adaptive concurrency limit (off by default): requests beyond the learnt limit are
 * refused with 503 and Retry-After instead of queueing.
 *
 * @param initialLimit where the limit starts (default 20)
 * @param minLimit the lowest it goes (default 5)
 * @param maxLimit the highest it goes (default 1000)
 */
public record ConcurrencyLimitConfig(boolean enabled, int initialLimit, int minLimit, int maxLimit) {

  public static final ConcurrencyLimitConfig OFF = new ConcurrencyLimitConfig(false, 20, 5, 1000);

  public static ConcurrencyLimitConfig bind(ConfigNode node) {
    if (!node.isPresent()) {
      return OFF;
    }
    ConfigObject o = node.asObject();
    ConcurrencyLimitConfig config = new ConcurrencyLimitConfig(
        o.bool("enabled", true),
        o.integer("initialLimit", OFF.initialLimit, 1, 100_000),
        o.integer("minLimit", OFF.minLimit, 1, 100_000),
        o.integer("maxLimit", OFF.maxLimit, 1, 100_000));
    o.finish();
    if (config.minLimit > config.maxLimit) {
      o.field("minLimit").problem("must not be above maxLimit (" + config.maxLimit + ")");
    }
    return config;
  }
}
