package io.trafficcoordinator.security;

/**
 * A request the control API refuses to authenticate (401) or authorise (403), with what the
 * {@code WWW-Authenticate} header should say (RFC 6750 §3).
 *
 * @param error the RFC 6750 error code: null for a missing token, {@code invalid_token},
 *     {@code insufficient_scope}
 * @param caller who it was when the token was valid (a 403), else null
 */
public record AuthFailure(int status, String error, String detail, Caller caller) {

  static AuthFailure missing(String detail) {
    return new AuthFailure(401, null, detail, null);
  }

  static AuthFailure invalid(String detail) {
    return new AuthFailure(401, "invalid_token", detail, null);
  }

  public static AuthFailure forbidden(Caller caller, Role needed) {
    return new AuthFailure(403, "insufficient_scope", "this operation needs the " + needed.slug() + " role; the token has "
        + (caller.role() == null ? "no known role" : caller.role().slug()), caller);
  }

  /** The {@code WWW-Authenticate} header value. */
  public String challenge() {
    String header = "Bearer realm=\"traffic-coordinator\"";
    if (error != null) {
      header += ", error=\"" + error + "\", error_description=\"" + detail.replace("\"", "'") + "\"";
    }
    return header;
  }
}
