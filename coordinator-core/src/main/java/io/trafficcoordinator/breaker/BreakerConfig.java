package io.trafficcoordinator.breaker;

import io.trafficcoordinator.config.tree.ConfigNode;
import io.trafficcoordinator.config.tree.ConfigObject;
import java.time.Duration;

/**
 * A circuit breaker per endpoint of a service (Resilience4j's state machine), on by default.
 *
 * @param failureRateThreshold percent of failed calls in the window that opens the circuit (50)
 * @param slowCallRateThreshold percent of slow calls that opens it (100: only when every call is slow)
 * @param slowCallDuration a call at least this long is slow (5 s)
 * @param minimumCalls calls the window needs before the rates count (20)
 * @param waitInOpen how long an open circuit refuses requests before trying again (30 s)
 * @param halfOpenTrials trial requests let through half-open; all must succeed to close (3)
 */
public record BreakerConfig(
    boolean enabled, int failureRateThreshold, int slowCallRateThreshold, Duration slowCallDuration,
    int minimumCalls, Duration waitInOpen, int halfOpenTrials) {

  public static final BreakerConfig DEFAULT =
      new BreakerConfig(true, 50, 100, Duration.ofSeconds(5), 20, Duration.ofSeconds(30), 3);

  public static BreakerConfig bind(ConfigNode node) {
    if (!node.isPresent()) {
      return DEFAULT;
    }
    ConfigObject o = node.asObject();
    BreakerConfig config = new BreakerConfig(
        o.bool("enabled", DEFAULT.enabled),
        o.integer("failureRateThreshold", DEFAULT.failureRateThreshold, 1, 100),
        o.integer("slowCallRateThreshold", DEFAULT.slowCallRateThreshold, 1, 100),
        o.duration("slowCallDuration", DEFAULT.slowCallDuration, Duration.ofMillis(1), Duration.ofMinutes(10)),
        o.integer("minimumCalls", DEFAULT.minimumCalls, 1, 100_000),
        o.duration("waitInOpen", DEFAULT.waitInOpen, Duration.ofMillis(1), Duration.ofHours(1)),
        o.integer("halfOpenTrials", DEFAULT.halfOpenTrials, 1, 1000));
    o.finish();
    return config;
  }
}
