package io.trafficcoordinator.versioning;

import io.trafficcoordinator.config.CoordinatorConfig;
import io.trafficcoordinator.config.LimitsConfig;
import io.trafficcoordinator.config.RouteConfig;
import java.time.Duration;
import java.util.List;

/** What a running coordinator can change in place, and what must wait for a restart. */
final class ConfigChanges {

  private ConfigChanges() {}

  /**
   * {@code next}, with the settings that are fixed while listeners run (addresses, the header
   * size limit, the client idle timeout) kept at their running values; each such change is
   * described in {@code deferred}.
   */
  static CoordinatorConfig keepRestartOnlySettings(CoordinatorConfig running, CoordinatorConfig next, List<String> deferred) {
    if (!running.listeners().equals(next.listeners())) {
      deferred.add("listeners changed (" + running.listeners().data() + ", " + running.listeners().control() + " -> "
          + next.listeners().data() + ", " + next.listeners().control() + "): restart to apply");
    }
    if (!running.store().equals(next.store())) {
      deferred.add("store changed: restart to apply");
    }
    LimitsConfig was = running.limits();
    LimitsConfig wants = next.limits();
    if (was.maxHeaderBytes() != wants.maxHeaderBytes()) {
      deferred.add("limits.maxHeaderBytes changed: restart to apply");
    }
    if (!was.clientIdleTimeout().equals(wants.clientIdleTimeout())) {
      deferred.add("limits.clientIdleTimeout changed: restart to apply");
    }
    LimitsConfig limits = new LimitsConfig(was.maxHeaderBytes(), wants.maxHeaderCount(), wants.maxBodyBytes(),
        wants.minBodyBytes(), wants.bodyRateWindow(), wants.headerReadTimeout(),
        was.clientIdleTimeout(), wants.maxClientConnections(), wants.upstreamConnectTimeout(), wants.upstreamIdleTimeout(),
        wants.maxConnectionsPerEndpoint(), wants.maxPendingPerEndpoint(), wants.drainTimeout());
    return new CoordinatorConfig(running.listeners(), limits, next.proxy(), next.services(), next.routes(),
        running.security(), running.store(), running.controlApi());
  }

  /** Whether two limits build the same upstream connection pool. */
  static boolean sameUpstreamLimits(LimitsConfig a, LimitsConfig b) {
    return a.upstreamConnectTimeout().equals(b.upstreamConnectTimeout())
        && a.upstreamIdleTimeout().equals(b.upstreamIdleTimeout())
        && a.maxConnectionsPerEndpoint() == b.maxConnectionsPerEndpoint()
        && a.maxPendingPerEndpoint() == b.maxPendingPerEndpoint();
  }

  /**
   * How long a replaced connection pool keeps serving the requests already on it: the longest
   * route timeout plus the longest body idle timeout, at most ten minutes.
   */
  static long drainMillis(CoordinatorConfig config) {
    Duration longest = Duration.ofSeconds(30);
    for (RouteConfig route : config.routes()) {
      Duration span = route.timeout().plus(route.idleTimeout());
      if (span.compareTo(longest) > 0) {
        longest = span;
      }
    }
    return Math.min(longest.toMillis(), Duration.ofMinutes(10).toMillis());
  }
}
