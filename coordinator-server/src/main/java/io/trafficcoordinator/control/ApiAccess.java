package io.trafficcoordinator.control;

import io.trafficcoordinator.security.AuthFailure;
import io.trafficcoordinator.security.AuthFailureException;
import io.trafficcoordinator.security.Caller;
import io.trafficcoordinator.security.Role;
import io.trafficcoordinator.security.TokenVerifier;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The gate in front of each control API operation: a valid bearer token whose role is at least the
 * operation's, else 401 with {@code WWW-Authenticate} or 403. Every refusal is audited.
 */
final class ApiAccess {

  static final String CALLER = "caller";
  static final String ACTION = "action";

  private final TokenVerifier verifier;
  private final AuditTrail audit;

  ApiAccess(TokenVerifier verifier, AuditTrail audit) {
    this.verifier = verifier;
    this.audit = audit;
  }

  /** A handler admitting callers with at least {@code role} to the operation named {@code action}. */
  Handler<RoutingContext> require(Role role, String action) {
    return ctx -> {
      ctx.put(ACTION, action);
      verifier.verify(ctx.request().getHeader("authorization")).onComplete(verified -> {
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
            failure.status() == 401 ? "unauthenticated" : "forbidden", failure.status(), ctx.get(io.trafficcoordinator.proxy.ProxyHeaders.REQUEST_ID),
            failure.detail());
        ctx.response().putHeader("www-authenticate", failure.challenge());
        ControlProblems.send(ctx, failure.status(), failure.status() == 401 ? "unauthenticated" : "forbidden",
            ControlProblems.title(failure.status()), failure.detail());
      });
    };
  }

  static Caller caller(RoutingContext ctx) {
    return ctx.get(CALLER);
  }

  static String client(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
  }
}
