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

  private TokenVerifier(JWTAuth jwt, Set<String> algorithms, String rolesClaim) {
    this.jwt = jwt;
    this.algorithms = algorithms;
    this.rolesClaim = rolesClaim;
  }

  /** Reads the configured keys (blocking) and builds the verifier; fails with a message naming the bad key. */
  public static TokenVerifier create(Vertx vertx, SecurityConfig config) throws IOException {
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
    if (config.jwksFile() != null) {
      List<JsonObject> jwks = jwks(Path.of(config.jwksFile()));
      options.setJwks(jwks);
      jwks.forEach(k -> algorithms.add(k.getString("alg")));
    }
    if (algorithms.isEmpty()) {
      throw new IOException("no usable key: the control API does not start without one");
    }
    JWTOptions checks = new JWTOptions().setLeeway((int) config.clockSkew().toSeconds());
    if (config.issuer() != null) {
      checks.setIssuer(config.issuer());
    }
    if (config.audience() != null) {
      checks.addAudience(config.audience());
    }
    options.setJWTOptions(checks);
    return new TokenVerifier(JWTAuth.create(vertx, options), Set.copyOf(algorithms), config.rolesClaim());
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
    JsonArray keys;
    try {
      keys = new JsonObject(Files.readString(file, StandardCharsets.UTF_8)).getJsonArray("keys");
    } catch (DecodeException | ClassCastException e) {
      throw new IOException(file + " is not a JSON Web Key Set: " + e.getMessage(), e);
    }
    if (keys == null || keys.isEmpty()) {
      throw new IOException(file + " has no keys");
    }
    List<JsonObject> usable = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      JsonObject key = keys.getJsonObject(i);
      String alg = key.getString("alg");
      boolean signing = key.getString("use") == null || "sig".equals(key.getString("use"));
      if (!signing || !("RS256".equals(alg) && "RSA".equals(key.getString("kty"))
          || "ES256".equals(alg) && "EC".equals(key.getString("kty")))) {
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
    return usable;
  }

  /**
   * The caller of a request whose {@code Authorization} header is {@code authorization}, or a failed
   * future holding an {@link AuthFailureException} (401, or 403 when the token carries no known role).
   */
  public Future<Caller> verify(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return fail(AuthFailure.missing("a bearer token is required"));
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return fail(AuthFailure.missing("the Authorization header must be 'Bearer <token>'"));
    }
    String token = authorization.substring(7).trim();
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
          return Future.succeededFuture(new Caller(subject, highestRole(claims.getValue(rolesClaim))));
        })
        .recover(failed -> failed instanceof AuthFailureException ? Future.failedFuture(failed)
            : fail(AuthFailure.invalid("the token is invalid")));
  }

  /** The highest role named in the roles claim (an array of strings), or null. */
  private static Role highestRole(Object claim) {
    Role highest = null;
    if (claim instanceof JsonArray roles) {
      for (Object value : roles) {
        Role role = value instanceof String text ? Role.parse(text) : null;
        if (role != null && (highest == null || role.allows(highest))) {
          highest = role;
        }
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
