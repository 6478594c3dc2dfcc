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
 * <p>Beside them, {@link Stall} detection takes an endpoint that has gone silent (a black hole:
 * it accepts requests and answers none) out of the pick while it stays silent.
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
    boolean unejectOnHealthCheck,
    Stall stall) {

  /** The success-rate detector (Envoy's defaults). */
  public record SuccessRate(boolean enabled, int minimumHosts, int requestVolume, double stdevFactor) {
    public static final SuccessRate DEFAULT = new SuccessRate(true, 5, 100, 1.9);
  }

  /** The failure-percentage detector (Envoy's defaults, off as in Envoy). */
  public record FailurePercentage(boolean enabled, int threshold, int minimumHosts, int requestVolume) {
    public static final FailurePercentage DEFAULT = new FailurePercentage(false, 85, 5, 50);
  }

  /**
   * When an endpoint counts as stalled (on by default): at least {@code minimumWaiting} requests
   * sent to it in full are waiting for their answer, it has answered nothing for longer than
   * {@code latencyFactor} × the p90 of its answers over the last 10 s (of the service's, while it has
   * fewer than 20 of its own; no verdict before the service has 20) and than {@code floor},
   * and another endpoint of the service did answer within that time. It is not picked while so;
   * the tries waiting on it are sent elsewhere and count as its failures, so that a black hole is
   * soon ejected, while an endpoint that was only paused answers again and is picked again.
   */
  public record Stall(boolean enabled, double latencyFactor, Duration floor, int minimumWaiting) {
    public static final Stall DEFAULT = new Stall(true, 8, Duration.ofMillis(200), 2);

    /** How long {@code usualNanos} (NaN: not known) of latency may be silent before it is a stall. */
    public long thresholdNanos(double usualNanos) {
      long floorNanos = floor.toNanos();
      return Double.isNaN(usualNanos) ? floorNanos : Math.max(floorNanos, (long) (latencyFactor * usualNanos));
    }
  }

  public static final OutlierConfig DEFAULT = new OutlierConfig(true, 5, Duration.ofSeconds(30), Duration.ofMinutes(5), 50,
      Duration.ofSeconds(10), SuccessRate.DEFAULT, FailurePercentage.DEFAULT, true, Stall.DEFAULT);

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
        o.bool("unejectOnHealthCheck", DEFAULT.unejectOnHealthCheck),
        stall(o.field("stall")));
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

  private static Stall stall(ConfigNode node) {
    if (!node.isPresent()) {
      return Stall.DEFAULT;
    }
    ConfigObject o = node.asObject();
    Stall d = Stall.DEFAULT;
    Stall config = new Stall(
        o.bool("enabled", d.enabled()),
        o.number("latencyFactor", d.latencyFactor(), 1, 1000),
        o.duration("floor", d.floor(), Duration.ofMillis(10), Duration.ofMinutes(10)),
        o.integer("minimumWaiting", d.minimumWaiting(), 1, 100_000));
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
