package io.trafficcoordinator.security;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * The structure of a compact JWS, checked before any key is: what the JWT library would otherwise
 * meet as a surprise (and answer with an exception instead of a refusal). Pure; every problem is
 * an {@link AuthFailure} with a detail safe to show, never a throw.
 *
 * <ul>
 *   <li>three segments, each canonical base64url without padding (RFC 7515 §2, RFC 7519 §7.2): only
 *       {@code A-Z a-z 0-9 - _}, no {@code =}, no length that no encoding produces, no stray bits
 *       in the last character (so one token has exactly one spelling);
 *   <li>header and claims are JSON objects;
 *   <li>the header's {@code alg} is one a configured key is pinned to; keys carried in the token
 *       ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}) are refused; {@code crit} (RFC 7515
 *       §4.1.11) is refused, since this verifier understands no extension it could name;
 *   <li>claims of the registered names have their registered types: {@code exp} (required),
 *       {@code nbf}, {@code iat} finite numbers; {@code sub} (required), {@code iss} strings;
 *       {@code aud} a string or an array of strings; the roles claim an array of strings.
 * </ul>
 */
final class TokenShape {

  private static final Set<String> EMBEDDED_KEY_HEADERS = Set.of("jwk", "jku", "x5u", "x5c");
  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

  private TokenShape() {}

  /**
   * The refusal {@code token} deserves for its structure, or null when its structure holds.
   *
   * @param algorithms the algorithms a configured key is pinned to
   * @param rolesClaim the claim that holds the caller's roles
   */
  static AuthFailure problem(String token, Set<String> algorithms, String rolesClaim) {
    String[] segments = token.split("\\.", -1);
    // An empty signature is refused here: the library would read "a.b." as an unsigned token.
    if (segments.length != 3 || segments[0].isEmpty() || segments[1].isEmpty() || segments[2].isEmpty()) {
      return AuthFailure.invalid("the token is not a signed JWT (three base64url parts)");
    }
    for (String segment : segments) {
      if (!isCanonicalBase64Url(segment)) {
        return AuthFailure.invalid("the token's parts must be base64url without padding");
      }
    }
    JsonObject header = jsonObject(segments[0]);
    if (header == null) {
      return AuthFailure.invalid("the token's header is not base64url JSON");
    }
    AuthFailure headerProblem = headerProblem(header, algorithms);
    if (headerProblem != null) {
      return headerProblem;
    }
    JsonObject claims = jsonObject(segments[1]);
    if (claims == null) {
      return AuthFailure.invalid("the token's claims are not a base64url JSON object");
    }
    return claimsProblem(claims, rolesClaim);
  }

  private static AuthFailure headerProblem(JsonObject header, Set<String> algorithms) {
    Object alg = header.getValue("alg");
    if (!(alg instanceof String name) || !algorithms.contains(name)) {
      // Echoed only when it is a plain name: the detail goes into a header and the audit log.
      String shown = alg == null ? "(none given)" : alg instanceof String text && text.matches("[A-Za-z0-9]{1,16}")
          ? "'" + text + "'" : "(not a valid name)";
      return AuthFailure.invalid("algorithm " + shown + " is not accepted");
    }
    for (String embedded : EMBEDDED_KEY_HEADERS) {
      if (header.containsKey(embedded)) {
        return AuthFailure.invalid("keys carried in the token (" + embedded + ") are not trusted");
      }
    }
    if (header.containsKey("crit")) {
      return AuthFailure.invalid("the token names critical extensions (crit) this verifier does not understand");
    }
    if (header.containsKey("kid") && !(header.getValue("kid") instanceof String)) {
      return AuthFailure.invalid("the token's kid must be a string");
    }
    return null;
  }

  private static AuthFailure claimsProblem(JsonObject claims, String rolesClaim) {
    if (!claims.containsKey("exp")) {
      return AuthFailure.invalid("the token has no exp (expiry)");
    }
    for (String time : new String[] {"exp", "nbf", "iat"}) {
      if (claims.containsKey(time) && !isFiniteNumber(claims.getValue(time))) {
        return AuthFailure.invalid("the token's " + time + " must be a number of seconds");
      }
    }
    if (!(claims.getValue("sub") instanceof String subject) || subject.isBlank()) {
      return AuthFailure.invalid(claims.containsKey("sub") ? "the token's sub must be a non-empty string"
          : "the token has no sub (subject)");
    }
    if (claims.containsKey("iss") && !(claims.getValue("iss") instanceof String)) {
      return AuthFailure.invalid("the token's iss must be a string");
    }
    if (claims.containsKey("aud") && !(claims.getValue("aud") instanceof String) && !isStrings(claims.getValue("aud"))) {
      return AuthFailure.invalid("the token's aud must be a string or an array of strings");
    }
    if (claims.containsKey(rolesClaim) && !isStrings(claims.getValue(rolesClaim))) {
      return AuthFailure.invalid("the token's " + safeName(rolesClaim) + " claim must be an array of strings");
    }
    return null;
  }

  /**
   * Whether {@code segment} is base64url as RFC 7515 writes it: the URL-safe alphabet, no padding,
   * and the only spelling of its bytes (a length of 1 mod 4 encodes nothing; the unused low bits of
   * the last character are zero).
   */
  static boolean isCanonicalBase64Url(String segment) {
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        return false;
      }
    }
    int tail = segment.length() % 4;
    if (tail == 1) {
      return false;
    }
    if (tail == 0) {
      return true;
    }
    int last = sextet(segment.charAt(segment.length() - 1));
    // Two characters carry 8 bits of 12 (4 unused), three carry 16 of 18 (2 unused).
    int unusedMask = tail == 2 ? 0b1111 : 0b11;
    return (last & unusedMask) == 0;
  }

  private static int sextet(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    return c == '-' ? 62 : 63;
  }

  private static JsonObject jsonObject(String segment) {
    try {
      Object value = Json.decodeValue(new String(BASE64URL.decode(segment), StandardCharsets.UTF_8));
      return value instanceof JsonObject object ? object : null;
    } catch (IllegalArgumentException | DecodeException e) {
      return null;
    }
  }

  private static boolean isFiniteNumber(Object value) {
    return value instanceof Number number && Double.isFinite(number.doubleValue());
  }

  private static boolean isStrings(Object value) {
    if (!(value instanceof JsonArray array)) {
      return false;
    }
    for (Object item : array) {
      if (!(item instanceof String)) {
        return false;
      }
    }
    return true;
  }

  private static String safeName(String claim) {
    return claim.matches("[A-Za-z0-9_.-]{1,64}") ? claim : "roles";
  }
}
