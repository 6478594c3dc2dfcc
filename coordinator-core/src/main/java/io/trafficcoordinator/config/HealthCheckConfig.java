package io.trafficcoordinator.config;

import io.trafficcoordinator.config.tree.ConfigNode;
import io.trafficcoordinator.config.tree.ConfigObject;
import io.trafficcoordinator.config.tree.ConfigValues;
import java.time.Duration;
import java.util.List;

/**
 * Active health checks of a service's endpoints: an HTTP GET of {@code path} on every endpoint
 * every {@code interval} (each endpoint's checks offset at random, each interval jittered by up to
 * 10 %, so that checks of a large fleet do not arrive in bursts).
 *
 * @param path the path checked, starting with "/" (default {@code /health})
 * @param interval time between two checks of one endpoint (default 5 s)
 * @param unhealthyInterval time between two checks of an endpoint that is unhealthy, ejected,
 *     stalled or failed its last check (Envoy's {@code unhealthy_interval}; default 1 s, never more
 *     than {@code interval}): an endpoint back from a restart or a hang is seen answering within about
 *     a second, and its ejection ends there
 * @param timeout a check not answered by then fails (default 1 s)
 * @param healthyThreshold consecutive passed checks that bring an unhealthy endpoint back (default 2)
 * @param unhealthyThreshold consecutive failed checks that take a healthy endpoint out (default 3)
 * @param expectedStatuses the statuses that pass, as inclusive ranges (default 200-399)
 */
public record HealthCheckConfig(
    String path, Duration interval, Duration unhealthyInterval, Duration timeout, int healthyThreshold,
    int unhealthyThreshold, List<StatusRange> expectedStatuses) {

  /** An inclusive range of HTTP statuses. */
  public record StatusRange(int from, int to) {
    public boolean contains(int status) {
      return status >= from && status <= to;
    }

    @Override
    public String toString() {
      return from == to ? String.valueOf(from) : from + "-" + to;
    }
  }

  public static final List<StatusRange> DEFAULT_STATUSES = List.of(new StatusRange(200, 399));
  public static final Duration DEFAULT_UNHEALTHY_INTERVAL = Duration.ofSeconds(1);

  public HealthCheckConfig {
    expectedStatuses = List.copyOf(expectedStatuses);
  }

  /** Whether {@code status} counts as a passed check. */
  public boolean passes(int status) {
    for (StatusRange range : expectedStatuses) {
      if (range.contains(status)) {
        return true;
      }
    }
    return false;
  }

  /** Reads a service's {@code healthCheck} object; null when the service has none. */
  static HealthCheckConfig bind(ConfigNode node) {
    if (!node.isPresent()) {
      return null;
    }
    ConfigObject check = node.asObject();
    String path = check.string("path", "/health");
    if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      check.field("path").problem("must start with '/' and contain no spaces or control characters");
    }
    Duration interval = check.duration("interval", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofHours(1));
    Duration unhealthyInterval = check.duration("unhealthyInterval", min(DEFAULT_UNHEALTHY_INTERVAL, interval),
        Duration.ofMillis(100), Duration.ofHours(1));
    Duration timeout = check.duration("timeout", Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMinutes(5));
    int healthy = check.integer("healthyThreshold", 2, 1, 100);
    int unhealthy = check.integer("unhealthyThreshold", 3, 1, 100);
    List<StatusRange> statuses = statuses(check.field("expectedStatuses"));
    check.finish();
    if (timeout.compareTo(interval) > 0) {
      check.field("timeout").problem("must not be longer than the interval (" + ConfigValues.formatDuration(interval) + ")");
    }
    if (unhealthyInterval.compareTo(interval) > 0) {
      check.field("unhealthyInterval").problem("must not be longer than the interval ("
          + ConfigValues.formatDuration(interval) + ")");
    }
    return new HealthCheckConfig(path, interval, unhealthyInterval, timeout, healthy, unhealthy, statuses);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static List<StatusRange> statuses(ConfigNode node) {
    if (!node.isPresent()) {
      return DEFAULT_STATUSES;
    }
    List<StatusRange> ranges = new java.util.ArrayList<>();
    for (ConfigNode entry : node.asList()) {
      String text = entry.asString(null);
      if (text == null) {
        continue;
      }
      String[] bounds = text.trim().split("-", 2);
      try {
        int from = Integer.parseInt(bounds[0].trim());
        int to = bounds.length == 2 ? Integer.parseInt(bounds[1].trim()) : from;
        if (from < 100 || to > 599 || from > to) {
          throw new NumberFormatException();
        }
        ranges.add(new StatusRange(from, to));
      } catch (NumberFormatException e) {
        entry.problem("expected a status (200) or a range (200-299) between 100 and 599, got '" + text + "'");
      }
    }
    if (ranges.isEmpty()) {
      node.problem("must name at least one status");
      return DEFAULT_STATUSES;
    }
    return ranges;
  }
}
