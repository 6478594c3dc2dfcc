package io.trafficcoordinator.proxy;

import io.trafficcoordinator.config.RouteAuthConfig;
import io.trafficcoordinator.http.ProblemType;
import io.trafficcoordinator.route.Route;
import io.trafficcoordinator.security.AuthFailureException;
import io.trafficcoordinator.security.TokenVerifier;
import io.trafficcoordinator.security.VerifiedToken;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * A route's JWT check on the data plane, before anything reaches an endpoint: the token verified
 * with {@code security.jwt}'s keys and checks (the route's own issuer and audience when it names
 * them), then the roles and scopes the route requires. A request without a valid token gets 401,
 * one whose token lacks a role or scope 403, both problem+json with {@code WWW-Authenticate}
 * (RFC 6750 §3). A verified request goes on with its subject and roles in the route's headers
 * (whatever a client sends under any route's identity names is removed from every request, see
 * {@code RouteTable.identityHeaders}), and its {@code Authorization} header forwarded or stripped
 * as the route says.
 */
final class RouteAuth {

  private static final String REALM = "Bearer realm=\"traffic-coordinator\"";

  /** Verification outcomes, for metrics: a fixed list, so labels stay bounded. */
  enum Outcome { VERIFIED, MISSING, INVALID, FORBIDDEN }

  private RouteAuth() {}

  /** Completes with whether the request may go on; when not, it has been answered. Never fails. */
  static Future<Boolean> check(ExchangeScope scope, Route route, boolean hasBody) {
    RouteAuthConfig auth = route.config().auth();
    // The verifier of the moment carries security.jwt's issuer and audience (reloaded with the keys).
    TokenVerifier tokens = scope.tokens();
    String issuer = auth.issuer() != null ? auth.issuer() : tokens.issuer();
    String audience = auth.audience() != null ? auth.audience() : tokens.audience();
    HttpServerRequest request = scope.request();
    if (request.headers().getAll("authorization").size() > 1) {
      // The endpoint could read another one than the one checked here.
      refuse(scope, route, hasBody, ProblemType.UNAUTHENTICATED, "more than one Authorization header",
          REALM + ", error=\"invalid_request\"", Outcome.INVALID);
      return Future.succeededFuture(false);
    }
    return tokens.verifyToken(request.getHeader("authorization"), issuer, audience)
        .map(token -> admit(scope, route, auth, token, hasBody))
        .recover(failed -> {
          boolean missing = failed instanceof AuthFailureException refused && refused.failure().error() == null;
          String detail = failed instanceof AuthFailureException refused ? refused.failure().detail() : "the token is invalid";
          String challenge = failed instanceof AuthFailureException refused ? refused.failure().challenge() : REALM;
          refuse(scope, route, hasBody, ProblemType.UNAUTHENTICATED, detail, challenge,
              missing ? Outcome.MISSING : Outcome.INVALID);
          return Future.succeededFuture(false);
        });
  }

  private static boolean admit(ExchangeScope scope, Route route, RouteAuthConfig auth, VerifiedToken token,
      boolean hasBody) {
    if (!auth.roles().isEmpty() && auth.roles().stream().noneMatch(token.roles()::contains)) {
      String detail = "route " + route.name() + " needs one of the roles " + String.join(", ", auth.roles());
      refuse(scope, route, hasBody, ProblemType.FORBIDDEN, detail, forbidden(detail, null), Outcome.FORBIDDEN);
      return false;
    }
    List<String> missing = auth.scopes().stream().filter(s -> !token.scopes().contains(s)).toList();
    if (!missing.isEmpty()) {
      String detail = "route " + route.name() + " needs the scopes " + String.join(" ", auth.scopes());
      refuse(scope, route, hasBody, ProblemType.FORBIDDEN, detail, forbidden(detail, String.join(" ", auth.scopes())),
          Outcome.FORBIDDEN);
      return false;
    }
    if (!isHeaderSafe(token.subject())) {
      refuse(scope, route, hasBody, ProblemType.UNAUTHENTICATED, "the token's sub cannot be carried in a header",
          REALM + ", error=\"invalid_token\"", Outcome.INVALID);
      return false;
    }
    MultiMap headers = scope.request().headers();
    headers.set(auth.subjectHeader(), token.subject());
    List<String> roles = new ArrayList<>();
    for (String role : token.roles()) {
      if (isHeaderSafe(role) && role.indexOf(',') < 0 && role.indexOf(' ') < 0) {
        roles.add(role);
      }
    }
    headers.set(auth.rolesHeader(), String.join(",", roles));
    if (!auth.forwardToken()) {
      headers.remove("authorization");
    }
    scope.metrics().routeAuth(route.name(), Outcome.VERIFIED.ordinal());
    return true;
  }

  private static String forbidden(String detail, String scopes) {
    return REALM + ", error=\"insufficient_scope\", error_description=\"" + detail.replace("\"", "'") + "\""
        + (scopes == null ? "" : ", scope=\"" + scopes + "\"");
  }

  private static void refuse(ExchangeScope scope, Route route, boolean hasBody, ProblemType problem, String detail,
      String challenge, Outcome outcome) {
    HttpServerRequest request = scope.request();
    request.response().putHeader("www-authenticate", challenge);
    if (hasBody) {
      Problems.sendAndClose(request, problem, detail, scope.requestId());
    } else {
      Problems.send(request, problem, detail, scope.requestId());
    }
    scope.metrics().routeAuth(route.name(), outcome.ordinal());
    scope.report(problem.status(), problem, 0, 0, null);
  }

  /** Visible ASCII and spaces only: what a header value can carry as sent. */
  private static boolean isHeaderSafe(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return false;
      }
    }
    return !value.isEmpty();
  }
}
