package io.trafficcoordinator.outlier;

import io.trafficcoordinator.config.tree.ConfigNode;
import io.trafficcoordinator.config.tree.ConfigObject;
import java.time.Duration;

/**
 * Passive outlier ejection of a service's endpoints (Envoy's outlier detection), on by default. Three
 * detectors decide who is ejected:
 *
 * <ul>
 *   <li>consecutive failures: {@code consecutiveFailures} requests in a row failed (5xx, refused,
 *       reset, timed out), decided on the request that makes the run;
 *   <li>success rate: every {@code interval}, among endpoints with at least {@link SuccessRate#requestVolume}
 *       requests in the last 10 s (and at least {@link SuccessRate#minimumHosts} of them), those whose
 *       success rate is below mean − {@link SuccessRate#stdevFactor} × standard deviation;
 *   <li>failure percentage (off by default): every {@code interval}, those whose share of failed
 *       requests reaches {@link FailurePercentage#threshold} %.
 * </ul>
 *
 * <p>An ejected endpoint is left out for {@code baseEjectionTime} × the number of times it has been
 * ejected, at most {@code maxEjectionTime}; each {@code interval} it spends in service takes one
 * off that number again. Never more than {@code maxEjectionPercent} of the endpoints are out at
 * once (but always one may be).
 *
 * @param enabled on by default
 * @param unejectOnHealthCheck whether a passing active health check ends an ejection at once
 *     (Envoy's {@code successful_active_health_check_uneject_host}; default true): an endpoint back
 *     from a restart takes traffic at its next passing check instead of at the end of its ejection
 */
public record OutlierConfig(
    boolean enabled,
    int consecutiveFailures,
    Duration baseEjectionTime,
    Duration maxEjectionTime,
    int maxEjectionPercent,
    Duration interval,
    SuccessRate successRate,
    FailurePercentage failurePercentage,
    boolean unejectOnHealthCheck) {

  /** The success-rate detector (Envoy's defaults). */
  public record SuccessRate(boolean enabled, int minimumHosts, int requestVolume, double stdevFactor) {
    public static final SuccessRate DEFAULT = new SuccessRate(true, 5, 100, 1.9);
  }

  /** The failure-percentage detector (Envoy's defaults, off as in Envoy). */
  public record FailurePercentage(boolean enabled, int threshold, int minimumHosts, int requestVolume) {
    public static final FailurePercentage DEFAULT = new FailurePercentage(false, 85, 5, 50);
  }

  public static final OutlierConfig DEFAULT = new OutlierConfig(true, 5, Duration.ofSeconds(30), Duration.ofMinutes(5), 50,
      Duration.ofSeconds(10), SuccessRate.DEFAULT, FailurePercentage.DEFAULT, true);

  public static OutlierConfig bind(ConfigNode node) {
    if (!node.isPresent()) {
      return DEFAULT;
    }
    ConfigObject o = node.asObject();
    OutlierConfig config = new OutlierConfig(
        o.bool("enabled", DEFAULT.enabled),
        o.integer("consecutiveFailures", DEFAULT.consecutiveFailures, 1, 1000),
        o.duration("baseEjectionTime", DEFAULT.baseEjectionTime, Duration.ofMillis(1), Duration.ofHours(1)),
        o.duration("maxEjectionTime", DEFAULT.maxEjectionTime, Duration.ofMillis(1), Duration.ofHours(24)),
        o.integer("maxEjectionPercent", DEFAULT.maxEjectionPercent, 0, 100),
        o.duration("interval", DEFAULT.interval, Duration.ofSeconds(1), Duration.ofMinutes(10)),
        successRate(o.field("successRate")),
        failurePercentage(o.field("failurePercentage")),
        o.bool("unejectOnHealthCheck", DEFAULT.unejectOnHealthCheck));
    o.finish();
    if (config.maxEjectionTime.compareTo(config.baseEjectionTime) < 0) {
      o.field("maxEjectionTime").problem("must not be shorter than baseEjectionTime");
    }
    return config;
  }

  private static SuccessRate successRate(ConfigNode node) {
    if (!node.isPresent()) {
      return SuccessRate.DEFAULT;
    }
    ConfigObject o = node.asObject();
    SuccessRate d = SuccessRate.DEFAULT;
    SuccessRate config = new SuccessRate(
        o.bool("enabled", d.enabled()),
        o.integer("minimumHosts", d.minimumHosts(), 2, 10_000),
        o.integer("requestVolume", d.requestVolume(), 1, 1_000_000),
        o.number("stdevFactor", d.stdevFactor(), 0.1, 10));
    o.finish();
    return config;
  }

  private static FailurePercentage failurePercentage(ConfigNode node) {
    if (!node.isPresent()) {
      return FailurePercentage.DEFAULT;
    }
    ConfigObject o = node.asObject();
    FailurePercentage d = FailurePercentage.DEFAULT;
    FailurePercentage config = new FailurePercentage(
        o.bool("enabled", true),
        o.integer("threshold", d.threshold(), 1, 100),
        o.integer("minimumHosts", d.minimumHosts(), 1, 10_000),
        o.integer("requestVolume", d.requestVolume(), 1, 1_000_000));
    o.finish();
    return config;
  }
}
