package io.trafficcoordinator.security;

import io.trafficcoordinator.config.SecurityConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the bearer tokens of the control API. {@link TokenShape} checks the token's structure
 * first (canonical base64url, JSON objects, the header's {@code alg}, no embedded keys, no
 * {@code crit}, registered claims of their registered types, {@code exp} and {@code sub} present);
 * then Vert.x's JWT library verifies the signature and {@code exp}/{@code nbf}/{@code iss}/{@code aud}.
 * A key only ever verifies its own algorithm, so an HS256 token "signed" with an RS256 public key
 * finds no key to be checked with; at least one key must be loaded (the library with no keys
 * accepts unsigned tokens).
 *
 * <p>Every outcome is a caller or an {@link AuthFailureException} (401, or 403 later when the token
 * carries no role that allows the operation): a token never makes {@link #verify} throw.
 * Thread-safe; {@link #verify} never blocks (keys are read once, by {@link #create}).
 */
public final class TokenVerifier {

  private final JWTAuth jwt;
  private final Set<String> algorithms;
  private final String rolesClaim;
  private final String issuer;
  private final String audience;

  private TokenVerifier(JWTAuth jwt, Set<String> algorithms, String rolesClaim, String issuer, String audience) {
    this.jwt = jwt;
    this.algorithms = algorithms;
    this.rolesClaim = rolesClaim;
    this.issuer = issuer;
    this.audience = audience;
  }

  /** Reads the configured keys (blocking) and builds the verifier; fails with a message naming the bad key. */
  public static TokenVerifier create(Vertx vertx, SecurityConfig config) throws IOException {
    return create(vertx, config, List.of());
  }

  /**
   * As above, with the signing keys last fetched from {@code security.jwt.jwksUrl} ({@link RemoteKeySet})
   * added to the configured ones.
   */
  public static TokenVerifier create(Vertx vertx, SecurityConfig config, List<JsonObject> fetched) throws IOException {
    JWTAuthOptions options = new JWTAuthOptions();
    Set<String> algorithms = new HashSet<>();
    for (SecurityConfig.JwtKey key : config.keys()) {
      PubSecKeyOptions keyOptions = new PubSecKeyOptions().setAlgorithm(key.algorithm()).setBuffer(Buffer.buffer(material(key)));
      if (key.id() != null) {
        keyOptions.setId(key.id());
      }
      options.addPubSecKey(keyOptions);
      algorithms.add(key.algorithm());
    }
    List<JsonObject> jwks = new ArrayList<>(fetched);
    if (config.jwksFile() != null) {
      jwks.addAll(jwks(Path.of(config.jwksFile())));
    }
    if (!jwks.isEmpty()) {
      options.setJwks(jwks);
      jwks.forEach(k -> algorithms.add(k.getString("alg")));
    }
    if (algorithms.isEmpty()) {
      if (config.jwksUrl() != null) {
        // Only the provider's keys, and none fetched (yet, or any more): every token is refused
        // until a fetch brings some. The library is not built: with no keys it accepts unsigned tokens.
        return new TokenVerifier(null, Set.of(), config.rolesClaim(), config.issuer(), config.audience());
      }
      throw new IOException("no usable key: the control API does not start without one");
    }
    // Issuer and audience are checked here, per call: a route may require its own.
    options.setJWTOptions(new JWTOptions().setLeeway((int) config.clockSkew().toSeconds()));
    return new TokenVerifier(JWTAuth.create(vertx, options), Set.copyOf(algorithms), config.rolesClaim(),
        config.issuer(), config.audience());
  }

  private static byte[] material(SecurityConfig.JwtKey key) throws IOException {
    if (key.secret() != null) {
      return key.secret().getBytes(StandardCharsets.UTF_8);
    }
    if (key.secretFile() != null) {
      // A trailing newline (echo, most editors) is not part of the secret.
      byte[] secret = Files.readString(Path.of(key.secretFile()), StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
      if (secret.length < 32) {
        throw new IOException("the HS256 secret in " + key.secretFile() + " is " + secret.length
            + " bytes; at least 32 are needed (RFC 7518 §3.2)");
      }
      return secret;
    }
    String pem = Files.readString(Path.of(key.publicKeyFile()), StandardCharsets.US_ASCII);
    if (!pem.contains("-----BEGIN PUBLIC KEY-----") && !pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new IOException(key.publicKeyFile() + " holds no PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
    return pem.getBytes(StandardCharsets.US_ASCII);
  }

  /** The RS256 and ES256 signing keys of a JWKS file; anything else in it is refused. */
  private static List<JsonObject> jwks(Path file) throws IOException {
    return signingKeys(Files.readString(file, StandardCharsets.UTF_8), file.toString(), false);
  }

  /**
   * The RS256 and ES256 signing keys of a JSON Web Key Set document ({@code where} names it in
   * errors): encryption keys are left out, and so, when {@code lenient} (a provider's set, which
   * may list algorithms this verifier does not take), are other signing keys; otherwise (the
   * operator's own file) such a key is refused. A set with no usable key is refused either way.
   */
  static List<JsonObject> signingKeys(String document, String where, boolean lenient) throws IOException {
    String file = where;
    JsonArray keys;
    try {
      keys = new JsonObject(document).getJsonArray("keys");
    } catch (DecodeException | ClassCastException e) {
      throw new IOException(file + " is not a JSON Web Key Set: " + e.getMessage(), e);
    }
    if (keys == null || keys.isEmpty()) {
      throw new IOException(file + " has no keys");
    }
    List<JsonObject> usable = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if (!(keys.getValue(i) instanceof JsonObject key)) {
        throw new IOException(file + ": key " + i + " is not a JSON object");
      }
      String alg = key.getString("alg");
      boolean signing = key.getString("use") == null || "sig".equals(key.getString("use"));
      if (!signing) {
        // An identity provider's key set also lists its encryption keys (Keycloak's RSA-OAEP one):
        // they sign nothing, so they are left out, not refused.
        continue;
      }
      if (!("RS256".equals(alg) && "RSA".equals(key.getString("kty"))
          || "ES256".equals(alg) && "EC".equals(key.getString("kty")))) {
        if (lenient) {
          continue;
        }
        throw new IOException(file + ": key " + i + " is not an RS256 (RSA) or ES256 (EC) signing key with its alg set");
      }
      try {
        // Vert.x skips a key it cannot parse with a log line; with none left it would accept unsigned
        // tokens. Parse each here so that a bad key stops the start instead.
        new io.vertx.ext.auth.impl.jose.JWK(key);
      } catch (RuntimeException e) {
        throw new IOException(file + ": key " + i + " cannot be used: " + e.getMessage(), e);
      }
      usable.add(key);
    }
    if (usable.isEmpty()) {
      throw new IOException(file + " has no signing keys (use: sig)");
    }
    return usable;
  }

  /** The {@code iss} {@code security.jwt} requires, or null. */
  public String issuer() {
    return issuer;
  }

  /** The {@code aud} {@code security.jwt} requires, or null. */
  public String audience() {
    return audience;
  }

  /**
   * The caller of a control API request whose {@code Authorization} header is {@code authorization},
   * or a failed future holding an {@link AuthFailureException} (401, or 403 when the token carries
   * no known role).
   */
  public Future<Caller> verify(String authorization) {
    return verifyToken(authorization, issuer, audience).map(token -> new Caller(token.subject(), highestRole(token.roles())));
  }

  /**
   * The verified token in {@code authorization}, checked against {@code requiredIssuer} and
   * {@code requiredAudience} (null: not checked), or a failed future holding an
   * {@link AuthFailureException} (401).
   */
  public Future<VerifiedToken> verifyToken(String authorization, String requiredIssuer, String requiredAudience) {
    if (authorization == null || authorization.isBlank()) {
      return fail(AuthFailure.missing("a bearer token is required"));
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return fail(AuthFailure.missing("the Authorization header must be 'Bearer <token>'"));
    }
    String token = authorization.substring(7).trim();
    if (jwt == null) {
      return fail(AuthFailure.invalid("no signing keys are available: the key set at security.jwt.jwksUrl could not be"
          + " fetched"));
    }
    AuthFailure malformed = TokenShape.problem(token, algorithms, rolesClaim);
    if (malformed != null) {
      return fail(malformed);
    }
    Future<io.vertx.ext.auth.User> authenticated;
    try {
      authenticated = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      // The shape was checked above; whatever the library still trips over is a refusal, not a 500.
      return fail(AuthFailure.invalid(describe(e)));
    }
    return authenticated
        .recover(failed -> fail(AuthFailure.invalid(describe(failed))))
        .compose(user -> {
          JsonObject claims = user.attributes().getJsonObject("accessToken", new JsonObject());
          if (!(claims.getValue("sub") instanceof String subject)) {
            return fail(AuthFailure.invalid("the token has no sub (subject)"));
          }
          if (requiredIssuer != null && !requiredIssuer.equals(claims.getValue("iss"))) {
            return fail(AuthFailure.invalid("the token is from another issuer"));
          }
          if (requiredAudience != null && !hasAudience(claims.getValue("aud"), requiredAudience)) {
            return fail(AuthFailure.invalid("the token is not for this audience"));
          }
          return Future.succeededFuture(new VerifiedToken(subject, strings(claims.getValue(rolesClaim)), scopes(claims)));
        })
        .recover(failed -> failed instanceof AuthFailureException ? Future.failedFuture(failed)
            : fail(AuthFailure.invalid("the token is invalid")));
  }

  private static boolean hasAudience(Object aud, String required) {
    return required.equals(aud) || aud instanceof JsonArray list && list.contains(required);
  }

  /** The strings of a claim that is an array of strings (its shape was checked), else none. */
  private static List<String> strings(Object claim) {
    List<String> values = new ArrayList<>();
    if (claim instanceof JsonArray array) {
      for (Object value : array) {
        if (value instanceof String text) {
          values.add(text);
        }
      }
    }
    return values;
  }

  /** OAuth scopes: {@code scope} as a space-separated string (RFC 8693 §4.2) or {@code scp} as an array. */
  private static Set<String> scopes(JsonObject claims) {
    Set<String> scopes = new HashSet<>();
    if (claims.getValue("scope") instanceof String scope) {
      for (String one : scope.split(" ")) {
        if (!one.isEmpty()) {
          scopes.add(one);
        }
      }
    }
    scopes.addAll(strings(claims.getValue("scp")));
    return scopes;
  }

  /** The highest control API role among {@code roles}, or null. */
  private static Role highestRole(List<String> roles) {
    Role highest = null;
    for (String text : roles) {
      Role role = Role.parse(text);
      if (role != null && (highest == null || role.allows(highest))) {
        highest = role;
      }
    }
    return highest;
  }

  /** What the library's failure means, for the caller (never the token itself). */
  private static String describe(Throwable failed) {
    String message = failed.getMessage() == null ? "" : failed.getMessage();
    if (failed instanceof java.security.SignatureException) {
      return "the signature does not verify";
    }
    if (failed.getClass().getSimpleName().equals("NoSuchKeyIdException")) {
      return "no key matches the token's algorithm and kid";
    }
    if (message.contains("expired")) {
      return "the token is expired or not yet valid";
    }
    if (message.contains("audience")) {
      return "the token is not for this audience";
    }
    if (message.contains("issuer")) {
      return "the token is from another issuer";
    }
    return "the token is invalid";
  }

  private static <T> Future<T> fail(AuthFailure failure) {
    return Future.failedFuture(new AuthFailureException(failure));
  }
}
