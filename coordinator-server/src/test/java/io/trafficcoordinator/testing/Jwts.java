package io.trafficcoordinator.testing;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Hand-made JWTs for tests, so that a test controls every byte of header, claims and signature. */
public final class Jwts {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private Jwts() {}

  public static String hs256(JsonObject header, JsonObject claims, byte[] secret) {
    String signingInput = signingInput(header, claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An HS256 token from header and claims as written (any JSON text, valid or not), each part and
   * the signature encoded by {@code encoder}: for tokens no JSON library would write, such as a
   * padded or standard-alphabet one, or an {@code exp} of {@code 1e999}.
   */
  public static String hs256Text(String headerJson, String claimsJson, byte[] secret, Base64.Encoder encoder) {
    String signingInput = encoder.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
        + encoder.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return signingInput + "." + encoder.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String rs256(JsonObject header, JsonObject claims, PrivateKey key) {
    return signed("SHA256withRSA", header, claims, key);
  }

  /** An ES256 token: the signature as JWS wants it, R and S side by side (RFC 7518 §3.4), not DER. */
  public static String es256(JsonObject header, JsonObject claims, PrivateKey key) {
    return signed("SHA256withECDSAinP1363Format", header, claims, key);
  }

  private static String signed(String algorithm, JsonObject header, JsonObject claims, PrivateKey key) {
    String signingInput = signingInput(header, claims);
    try {
      Signature signature = Signature.getInstance(algorithm);
      signature.initSign(key);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64.encodeToString(signature.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair ecKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public half of an RSA key as a JWK (for a JWKS file). */
  public static JsonObject rsaJwk(java.security.interfaces.RSAPublicKey key, String kid) {
    return new JsonObject().put("kty", "RSA").put("alg", "RS256").put("use", "sig").put("kid", kid)
        .put("n", B64.encodeToString(unsigned(key.getModulus())))
        .put("e", B64.encodeToString(unsigned(key.getPublicExponent())));
  }

  private static byte[] unsigned(java.math.BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  /** An unsigned token: {@code alg: none} and an empty signature. */
  public static String unsigned(JsonObject claims) {
    return signingInput(new JsonObject().put("alg", "none").put("typ", "JWT"), claims) + ".";
  }

  public static String signingInput(JsonObject header, JsonObject claims) {
    return B64.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
        + B64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
  }

  public static JsonObject header(String alg) {
    return new JsonObject().put("alg", alg).put("typ", "JWT");
  }

  /** Claims for {@code subject} with {@code roles}, valid from a minute ago for {@code ttlSeconds}. */
  public static JsonObject claims(String subject, long ttlSeconds, String... roles) {
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims = new JsonObject().put("sub", subject).put("iat", now - 60).put("exp", now + ttlSeconds);
    io.vertx.core.json.JsonArray list = new io.vertx.core.json.JsonArray();
    for (String role : roles) {
      list.add(role);
    }
    return claims.put("roles", list);
  }

  public static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A PEM "PUBLIC KEY" block (X.509 SubjectPublicKeyInfo). */
  public static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
  }
}
