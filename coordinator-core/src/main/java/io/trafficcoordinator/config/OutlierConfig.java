package io.trafficcoordinator.config;

import java.time.Duration;

/**
 * Passive outlier ejection of a service's endpoints (Envoy's consecutive-errors detector): an
 * endpoint that fails {@code consecutiveFailures} requests in a row (5xx, refused, reset, timed
 * out) is left out for {@code baseEjectionTime} × the number of times it has been ejected, at most
 * {@code maxEjectionTime}; never more than {@code maxEjectionPercent} of the endpoints at once
 * (but always one).
 *
 * @param enabled on by default
 */
public record OutlierConfig(
    boolean enabled, int consecutiveFailures, Duration baseEjectionTime, Duration maxEjectionTime, int maxEjectionPercent) {

  public static final OutlierConfig DEFAULT =
      new OutlierConfig(true, 5, Duration.ofSeconds(30), Duration.ofMinutes(5), 50);

  static OutlierConfig bind(ConfigNode node) {
    if (!node.isPresent()) {
      return DEFAULT;
    }
    ConfigObject o = node.asObject();
    OutlierConfig config = new OutlierConfig(
        o.bool("enabled", DEFAULT.enabled),
        o.integer("consecutiveFailures", DEFAULT.consecutiveFailures, 1, 1000),
        o.duration("baseEjectionTime", DEFAULT.baseEjectionTime, Duration.ofMillis(1), Duration.ofHours(1)),
        o.duration("maxEjectionTime", DEFAULT.maxEjectionTime, Duration.ofMillis(1), Duration.ofHours(24)),
        o.integer("maxEjectionPercent", DEFAULT.maxEjectionPercent, 0, 100));
    o.finish();
    if (config.maxEjectionTime.compareTo(config.baseEjectionTime) < 0) {
      o.field("maxEjectionTime").problem("must not be shorter than baseEjectionTime");
    }
    return config;
  }
}
