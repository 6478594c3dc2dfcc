package io.trafficcoordinator.config;

import io.trafficcoordinator.ratelimit.RateLimitConfig;
import io.trafficcoordinator.retry.RetryConfig;
import java.time.Duration;
import java.util.Set;

/**
 * Sends matching requests to a service.
 *
 * @param name how logs and metrics call the route (default: the path prefix)
 * @param pathPrefix matched at segment boundaries on the normalised path: {@code /api} matches
 *     {@code /api} and {@code /api/x}, not {@code /apix}
 * @param host when set, the request's Host (without port, case-insensitive) must equal it, or end
 *     with it when written {@code *.example.com}
 * @param methods when not empty, the request's method must be one of them
 * @param rewritePrefix when set, replaces the matched prefix before forwarding
 * @param timeout from the end of the request to the endpoint's response headers; 504 after (15 s)
 * @param idleTimeout the longest pause between two chunks of a response body (60 s); a long download
 *     that keeps moving is never cut
 * @param bodyTimeout the longest a request body may take to arrive, from the end of its head;
 *     408 after, if no response has started ({@link Duration#ZERO}, the default: no limit beyond
 *     the minimum body rate of {@link LimitsConfig})
 * @param auth the JWT the route requires, or null when it is open
 * @param rateLimit the route's rate limit, or null for none
 * @param retries how failed requests are retried (one retry on connection failures and 502/503/504
 *     by default, under a budget)
 * @param answerHold which answers are read whole before they are forwarded, so that a cut one can
 *     be retried unseen (up to 64 KiB by default)
 */
public record RouteConfig(
    String name,
    String pathPrefix,
    String host,
    Set<String> methods,
    String service,
    String rewritePrefix,
    Duration timeout,
    Duration idleTimeout,
    Duration bodyTimeout,
    RouteAuthConfig auth,
    RateLimitConfig rateLimit,
    RetryConfig retries,
    AnswerHold answerHold) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  public RouteConfig {
    methods = Set.copyOf(methods);
  }
}
