package io.trafficcoordinator.retry;

import io.trafficcoordinator.config.tree.ConfigNode;
import io.trafficcoordinator.config.tree.ConfigObject;
import io.trafficcoordinator.config.tree.ConfigValues;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * How a route retries a request that failed before its response started (on by default, one
 * retry). A retry goes to an endpoint not yet tried for the request when there is one, after an
 * exponential backoff with full jitter, and only while the route's {@link Budget} allows.
 *
 * <p>A request that may have reached its endpoint is retried only when its method is idempotent
 * (RFC 9110 §9.2.2) or it carries an {@code Idempotency-Key}; one that provably never reached it (no
 * connection could be made, or none became free) is retried whatever its method.
 *
 * @param maxAttempts tries in all, the first included (default 2; 1 turns retries off)
 * @param perTryTimeout the wait for one try's response headers; null (the default) means one derived
 *     from the service's measured latency (see {@code balance.service.TryTimeout}), never longer
 *     than the route's timeout, which always bounds all tries together
 * @param onConnectFailure retry when no connection to the endpoint could be made or became free
 * @param onReset retry when the connection failed or closed before the response headers, or cut an
 *     answer that was held back
 * @param onTimeout retry when a try's {@code perTryTimeout} ran out, or its endpoint was found stalled
 * @param onStatuses retry on these response statuses (default 502, 503, 504)
 * @param backoffBase the first retry waits a random time up to this (default 25 ms); each further
 *     retry doubles the bound
 * @param backoffMax the bound never exceeds this (default 250 ms)
 * @param budget how many retries the route may send
 * @param replayBodyLimit a request body is kept for a retry up to this size (default 64 KiB); a
 *     request with a larger body that reached an endpoint is not retried
 */
public record RetryConfig(
    int maxAttempts,
    Duration perTryTimeout,
    boolean onConnectFailure,
    boolean onReset,
    boolean onTimeout,
    Set<Integer> onStatuses,
    Duration backoffBase,
    Duration backoffMax,
    Budget budget,
    long replayBodyLimit) {

  /**
   * Retries within {@code window} may be at most {@code percent} % of the route's requests in it,
   * or {@code minPerSecond} for each second of the window when that is more (so that a quiet route
   * can still retry).
   * Finagle's and linkerd's retry budget: in an outage retries add a fifth to the load, not a
   * multiple of it.
   */
  public record Budget(int percent, Duration window, int minPerSecond) {
    public static final Budget DEFAULT = new Budget(20, Duration.ofSeconds(10), 10);
  }

  public static final RetryConfig DEFAULT = new RetryConfig(2, null, true, true, true, Set.of(502, 503, 504),
      Duration.ofMillis(25), Duration.ofMillis(250), Budget.DEFAULT, 64 * 1024);

  public static final RetryConfig OFF = new RetryConfig(1, null, false, false, false, Set.of(),
      DEFAULT.backoffBase, DEFAULT.backoffMax, Budget.DEFAULT, 0);

  public RetryConfig {
    onStatuses = Set.copyOf(onStatuses);
  }

  public boolean enabled() {
    return maxAttempts > 1;
  }

  /**
   * The wait for one try's headers on a route whose timeout is {@code routeTimeoutNanos}, when the
   * measured latency of the service gives {@code derivedNanos} (used when none is configured).
   */
  public long perTryTimeoutNanos(long routeTimeoutNanos, long derivedNanos) {
    if (perTryTimeout == null) {
      return Math.min(derivedNanos, routeTimeoutNanos);
    }
    return Math.min(perTryTimeout.toNanos(), routeTimeoutNanos);
  }

  public static RetryConfig bind(ConfigNode node, Duration routeTimeout, long maxBodyBytes) {
    if (!node.isPresent()) {
      return DEFAULT;
    }
    ConfigObject o = node.asObject();
    int maxAttempts = o.integer("maxAttempts", DEFAULT.maxAttempts, 1, 10);
    Duration perTry = o.has("perTryTimeout")
        ? o.duration("perTryTimeout", routeTimeout, Duration.ofMillis(1), ConfigValues.MAX_TIMEOUT) : null;
    if (perTry != null && perTry.compareTo(routeTimeout) > 0) {
      o.field("perTryTimeout").problem("must not be longer than the route's timeout (" + routeTimeout.toMillis() + " ms)");
    }
    boolean connect = false;
    boolean reset = false;
    boolean timeout = false;
    Set<Integer> statuses = new LinkedHashSet<>();
    if (o.has("retryOn")) {
      for (ConfigNode condition : o.list("retryOn")) {
        Object raw = condition.raw();
        if (raw instanceof Number) {
          long status = condition.asLong(0, 400, 599);
          statuses.add((int) status);
          continue;
        }
        String text = condition.asString(null);
        switch (text == null ? "" : text) {
          case "connect-failure" -> connect = true;
          case "reset" -> reset = true;
          case "timeout" -> timeout = true;
          default -> {
            if (text != null && text.matches("[45][0-9][0-9]")) {
              statuses.add(Integer.parseInt(text));
            } else if (text != null) {
              condition.problem("not a retry condition: '" + text
                  + "'; use connect-failure, reset, timeout or a status code from 400 to 599");
            }
          }
        }
      }
    } else {
      connect = DEFAULT.onConnectFailure;
      reset = DEFAULT.onReset;
      timeout = DEFAULT.onTimeout;
      statuses.addAll(DEFAULT.onStatuses);
    }
    Duration base = DEFAULT.backoffBase;
    Duration max = DEFAULT.backoffMax;
    ConfigNode backoffNode = o.field("backoff");
    if (backoffNode.isPresent()) {
      ConfigObject backoff = backoffNode.asObject();
      base = backoff.duration("base", base, Duration.ZERO, Duration.ofMinutes(1));
      max = backoff.duration("max", max, Duration.ZERO, Duration.ofMinutes(1));
      backoff.finish();
      if (max.compareTo(base) < 0) {
        backoff.field("max").problem("must not be shorter than base (" + base.toMillis() + " ms)");
      }
    }
    Budget budget = Budget.DEFAULT;
    ConfigNode budgetNode = o.field("budget");
    if (budgetNode.isPresent()) {
      ConfigObject b = budgetNode.asObject();
      budget = new Budget(
          b.integer("percent", Budget.DEFAULT.percent(), 0, 100),
          b.duration("window", Budget.DEFAULT.window(), Duration.ofSeconds(1), Duration.ofMinutes(10)),
          b.integer("minPerSecond", Budget.DEFAULT.minPerSecond(), 0, 10_000));
      b.finish();
    }
    long replay = o.size("replayBodyLimit", DEFAULT.replayBodyLimit, 0, maxBodyBytes);
    o.finish();
    return new RetryConfig(maxAttempts, perTry, connect, reset, timeout, statuses, base, max, budget, replay);
  }
}
