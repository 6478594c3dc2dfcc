package io.trafficcoordinator.proxy;

import io.trafficcoordinator.config.ProxyConfig;
import io.trafficcoordinator.http.ProblemType;
import io.trafficcoordinator.ratelimit.RateLimitConfig;
import io.trafficcoordinator.ratelimit.TokenBucket;
import io.trafficcoordinator.route.Route;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * A route's rate limit, applied to one request before an endpoint is chosen: a token from the
 * caller's bucket, the IETF {@code RateLimit-Policy} and {@code RateLimit} headers on the answer
 * (draft-ietf-httpapi-ratelimit-headers), and over the limit a 429 with {@code Retry-After} that
 * never reaches an endpoint.
 */
final class RouteRateLimit {

  private RouteRateLimit() {}

  /** Whether the route counts per verified subject: then its limit applies after the token check. */
  static boolean bySubject(Route route) {
    return route.rateLimits() != null && route.config().rateLimit().key() == RateLimitConfig.Key.SUBJECT;
  }

  /** Whether the request may go on; when not, it has been answered. */
  static boolean admit(ExchangeScope scope, Route route, boolean hasBody) {
    RateLimitConfig limit = route.config().rateLimit();
    HttpServerRequest request = scope.request();
    String key = switch (limit.key()) {
      case HEADER -> headerKey(request.headers(), limit.header());
      // Set by the token check from the verified token, whatever the client sent under that name.
      case SUBJECT -> headerKey(request.headers(), route.config().auth().subjectHeader());
      case CLIENT -> clientKey(request, scope.active().plan().config().proxy());
    };
    TokenBucket.Take take = route.rateLimits().take(key, limit.cost(), scope.clock().nanoTime());
    scope.metrics().rateLimited(route.name(), take.allowed());
    MultiMap headers = request.response().headers();
    String policy = "\"" + route.name().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    headers.set("ratelimit-policy", policy + ";q=" + quota(limit) + ";w=" + windowSeconds(limit));
    headers.set("ratelimit", policy + ";r=" + take.remaining() + ";t=" + seconds(take.fullInNanos()));
    if (take.allowed()) {
      return true;
    }
    long retryAfter = Math.max(1, seconds(take.retryAfterNanos()));
    headers.set("retry-after", Long.toString(retryAfter));
    String detail = "route " + route.name() + " allows " + limit.requests() + " requests per " + limit.per().toMillis()
        + " ms (bursts of " + limit.burst() + ") per " + switch (limit.key()) {
          case HEADER -> limit.header() + " value";
          case SUBJECT -> "caller";
          case CLIENT -> "client";
        } + "; retry in " + retryAfter + " s";
    if (hasBody) {
      Problems.sendAndClose(request, ProblemType.RATE_LIMITED, detail, scope.requestId());
    } else {
      Problems.send(request, ProblemType.RATE_LIMITED, detail, scope.requestId());
    }
    scope.report(429, ProblemType.RATE_LIMITED, 0, 0, null);
    return false;
  }

  /**
   * The client's address; behind trusted proxies, the first address from the right of
   * {@code X-Forwarded-For} that is not one of them (entries further left were written by whoever
   * the untrusted client is, and prove nothing), so that every caller behind one load balancer is
   * not one key.
   */
  private static String clientKey(HttpServerRequest request, ProxyConfig proxy) {
    String peer = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
    if (!proxy.trusts(peer)) {
      return peer;
    }
    List<String> forwarded = request.headers().getAll(ProxyHeaders.FORWARDED_FOR);
    String nearest = peer;
    for (int i = forwarded.size() - 1; i >= 0; i--) {
      String[] hops = forwarded.get(i).split(",");
      for (int j = hops.length - 1; j >= 0; j--) {
        String hop = hops[j].trim();
        if (hop.isEmpty()) {
          continue;
        }
        if (!proxy.trusts(hop)) {
          return hop;
        }
        nearest = hop;
      }
    }
    return nearest;
  }

  /** The header's value; requests without it share one bucket (the empty key). */
  private static String headerKey(MultiMap headers, String name) {
    String value = headers.get(name);
    return value == null ? "" : value;
  }

  /** The policy's quota per window as the draft writes it: whole requests per whole seconds. */
  private static long quota(RateLimitConfig limit) {
    long windowNanos = windowSeconds(limit) * 1_000_000_000L;
    return Math.max(1, Math.round((double) limit.requests() * windowNanos / limit.per().toNanos()));
  }

  private static long windowSeconds(RateLimitConfig limit) {
    return Math.max(1, (limit.per().toNanos() + 999_999_999L) / 1_000_000_000L);
  }

  private static long seconds(long nanos) {
    return (nanos + 999_999_999L) / 1_000_000_000L;
  }
}
