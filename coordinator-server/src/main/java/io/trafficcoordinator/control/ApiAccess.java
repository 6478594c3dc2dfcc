package io.trafficcoordinator.control;

import io.trafficcoordinator.config.ControlApiConfig;
import io.trafficcoordinator.http.RequestIds;
import io.trafficcoordinator.ratelimit.RateLimiter;
import io.trafficcoordinator.ratelimit.TokenBucket;
import io.trafficcoordinator.security.AuthFailure;
import io.trafficcoordinator.security.AuthFailureException;
import io.trafficcoordinator.security.Caller;
import io.trafficcoordinator.security.Role;
import io.trafficcoordinator.security.TokenVerifier;
import io.trafficcoordinator.time.NanoClock;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * The gate in front of each control API operation: a rate limit per operation and client (the
 * token's subject when the token is valid, else the client's address, so that guessing tokens is
 * limited too), then a valid bearer token whose role is at least the operation's, else 401 with
 * {@code WWW-Authenticate} or 403. Every refusal is audited.
 *
 * <p>Limited answers carry the {@code RateLimit-Policy} and {@code RateLimit} headers of the IETF
 * httpapi rate-limit-headers draft ({@code "<operation>";q=<per minute>;w=60} and
 * {@code "<operation>";r=<remaining>;t=<seconds until full>}); a refusal is 429 with
 * {@code Retry-After}.
 */
final class ApiAccess {

  static final String CALLER = "caller";
  static final String ACTION = "action";

  /** Replaced when the keys are reloaded; each request reads it once. */
  private volatile TokenVerifier verifier;
  private final AuditTrail audit;
  private final NanoClock clock;
  private final Map<String, RateLimiter> limiters = new HashMap<>();

  ApiAccess(TokenVerifier verifier, AuditTrail audit, ControlApiConfig config, NanoClock clock) {
    this.verifier = verifier;
    this.audit = audit;
    this.clock = clock;
    config.rateLimits().forEach((operation, limit) ->
        limiters.put(operation, new RateLimiter(limit.perMinute(), limit.burst(), MAX_CLIENTS_TRACKED)));
  }

  private volatile boolean closed;

  /** Checks tokens with {@code next} from now on (keys reloaded). */
  void useVerifier(TokenVerifier next) {
    verifier = next;
  }

  /** From now on every operation answers 503: the coordinator is stopping. */
  void close() {
    closed = true;
  }

  /** Distinct clients tracked per operation before buckets that have refilled are dropped. */
  private static final int MAX_CLIENTS_TRACKED = 10_000;

  /**
   * A handler admitting callers with at least {@code role} to the operation named {@code action}.
   * It comes before the body is read: a request with a body stays paused until it is admitted (the
   * body handler after it resumes it), so an unauthenticated caller cannot make the listener buffer
   * bodies.
   */
  Handler<RoutingContext> require(Role role, String action, boolean readsBody) {
    return ctx -> {
      ctx.put(ACTION, action);
      if (closed) {
        ControlProblems.send(ctx, 503, "shutting-down", "Service unavailable", "the coordinator is stopping");
        return;
      }
      if (readsBody) {
        ctx.request().pause();
      }
      verifier.verify(ctx.request().getHeader("authorization")).onComplete(verified -> {
        if (!withinLimit(ctx, action, verified.succeeded() ? verified.result() : null)) {
          return;
        }
        if (verified.succeeded() && verified.result().role() != null && verified.result().role().allows(role)) {
          ctx.put(CALLER, verified.result());
          ctx.next();
          return;
        }
        AuthFailure failure = verified.succeeded()
            ? AuthFailure.forbidden(verified.result(), role)
            : verified.cause() instanceof AuthFailureException e ? e.failure()
            : new AuthFailure(401, "invalid_token", "the token could not be checked", null);
        Caller caller = failure.caller();
        audit.refused(client(ctx), caller == null ? null : caller.subject(),
            caller == null || caller.role() == null ? null : caller.role().slug(), action, null,
            failure.status() == 401 ? "unauthenticated" : "forbidden", failure.status(), ctx.get(RequestIds.HEADER),
            failure.detail());
        ctx.response().putHeader("www-authenticate", failure.challenge());
        closeIfBodyUnread(ctx);
        ControlProblems.send(ctx, failure.status(), failure.status() == 401 ? "unauthenticated" : "forbidden",
            ControlProblems.title(failure.status()), failure.detail());
      });
    };
  }

  /** Takes a token for the request; answers 429 and returns false when there is none. */
  private boolean withinLimit(RoutingContext ctx, String action, Caller caller) {
    RateLimiter limiter = limiters.get(action);
    if (limiter == null) {
      return true;
    }
    String who = caller != null ? "sub:" + caller.subject() : "addr:" + client(ctx);
    TokenBucket.Take take = limiter.tryTake(who, clock.nanoTime());
    ctx.response().putHeader("ratelimit-policy", "\"" + action + "\";q=" + limiter.perMinute() + ";w=60")
        .putHeader("ratelimit", "\"" + action + "\";r=" + take.remaining() + ";t=" + seconds(take.fullInNanos()));
    if (take.allowed()) {
      return true;
    }
    long retryAfter = seconds(take.retryAfterNanos());
    audit.refused(client(ctx), caller == null ? null : caller.subject(),
        caller == null || caller.role() == null ? null : caller.role().slug(), action, null, "rate-limited", 429,
        ctx.get(RequestIds.HEADER), "over " + limiter.perMinute() + " requests a minute");
    ctx.response().putHeader("retry-after", Long.toString(retryAfter));
    closeIfBodyUnread(ctx);
    ControlProblems.send(ctx, 429, "rate-limited", "Too many requests", action + " allows " + limiter.perMinute()
        + " requests a minute (bursts of " + limiter.burst() + ") per client; retry in " + retryAfter + " s");
    return false;
  }

  /**
   * A refused request whose body was left unread (it stayed paused) would hold its connection: the
   * rest of the body would sit in the socket. The answer closes the connection instead.
   */
  private static void closeIfBodyUnread(RoutingContext ctx) {
    // HTTP/1.x only: an HTTP/2 stream is flow-controlled on its own and ends with its answer, and
    // closing the connection would take every other stream on it down too.
    if (!ctx.request().isEnded() && ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
      // Vert.x closes a Connection: close exchange only once the request has ended, which this one
      // never will: the connection is closed by hand once the answer is written.
      ctx.response().putHeader("connection", "close");
      ctx.response().endHandler(written -> ctx.request().connection().close());
    }
  }

  private static long seconds(long nanos) {
    return (nanos + 999_999_999L) / 1_000_000_000L;
  }

  static Caller caller(RoutingContext ctx) {
    return ctx.get(CALLER);
  }

  static String client(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
  }
}
