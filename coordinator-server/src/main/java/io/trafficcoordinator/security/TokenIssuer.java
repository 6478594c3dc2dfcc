package io.trafficcoordinator.security;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;

/** Mints HS256 tokens for the control API: {@code coordinator token} and the demo. */
public final class TokenIssuer {

  private final JWTAuth jwt;
  private final String keyId;

  /**
   * @param secret at least 32 bytes
   * @param keyId the {@code kid} to name in the header, or null
   */
  public TokenIssuer(Vertx vertx, byte[] secret, String keyId) {
    if (secret.length < 32) {
      throw new IllegalArgumentException("an HS256 secret needs at least 32 bytes, this one has " + secret.length);
    }
    PubSecKeyOptions key = new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(Buffer.buffer(secret));
    if (keyId != null) {
      key.setId(keyId);
    }
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key));
    this.keyId = keyId;
  }

  /** A token for {@code subject} with {@code role}, valid for {@code ttl}; issuer and audience optional. */
  public String mint(String subject, Role role, Duration ttl, String issuer, String audience) {
    JWTOptions options = new JWTOptions().setAlgorithm("HS256").setSubject(subject)
        .setExpiresInSeconds((int) Math.max(1, ttl.toSeconds()));
    if (issuer != null) {
      options.setIssuer(issuer);
    }
    if (audience != null) {
      options.addAudience(audience);
    }
    if (keyId != null) {
      options.setHeader(new JsonObject().put("kid", keyId));
    }
    return jwt.generateToken(new JsonObject().put("roles", new JsonArray().add(role.slug())), options);
  }
}
