package io.trafficcoordinator.security;

import static io.trafficcoordinator.config.ConfigTrees.TEST_SECRET;
import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.testing.Jwts;
import io.trafficcoordinator.testing.ProxyFixture;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JWT battery against the real control listener: each kind of bad token, and each role, gets
 * its exact status. Keys: an HS256 secret ("hs") and an RS256 public key ("rs"); issuer and
 * audience are checked.
 */
class ControlApiAuthTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String STATUS = "/api/v1/master-coordination/system-status";
  private static final String AUDIT = "/api/v1/master-coordination/audit";
  private static final byte[] SECRET = TEST_SECRET.getBytes(StandardCharsets.UTF_8);
  private static final java.util.Base64.Encoder URL = java.util.Base64.getUrlEncoder().withoutPadding();

  @TempDir
  static Path dir;
  private static KeyPair rsa;
  private static KeyPair ec;
  private static KeyPair jwksRsa;
  private static ProxyFixture proxy;

  @BeforeAll
  static void start() throws Exception {
    rsa = Jwts.rsaKeyPair();
    ec = Jwts.ecKeyPair();
    jwksRsa = Jwts.rsaKeyPair();
    Path pem = dir.resolve("rs.pem");
    Files.writeString(pem, Jwts.pem(rsa.getPublic()));
    Path ecPem = dir.resolve("es.pem");
    Files.writeString(ecPem, Jwts.pem(ec.getPublic()));
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, new JsonObject().put("keys", new io.vertx.core.json.JsonArray()
        .add(Jwts.rsaJwk((java.security.interfaces.RSAPublicKey) jwksRsa.getPublic(), "idp-1"))).encode());
    proxy = ProxyFixture.start(map(
        "services", list(map("name", "api", "endpoints", list(map("url", "http://127.0.0.1:9")))),
        "routes", list(map("pathPrefix", "/", "service", "api")),
        "security", map("jwt", map(
            "keys", list(map("id", "hs", "algorithm", "HS256", "secret", TEST_SECRET),
                map("id", "rs", "algorithm", "RS256", "publicKeyFile", pem.toString()),
                map("id", "es", "algorithm", "ES256", "publicKeyFile", ecPem.toString())),
            "jwksFile", jwks.toString(),
            "issuer", "https://login.test", "audience", "traffic-coordinator", "clockSkew", "5s")),
        // Room for this battery's calls; RateLimitTest covers the limits.
        "controlApi", map("rateLimits", map("audit", map("perMinute", 6000, "burst", 200),
            "system-status", map("perMinute", 6000, "burst", 200)))));
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
  }

  private static JsonObject claims(long ttlSeconds, String... roles) {
    return Jwts.claims("alice", ttlSeconds, roles).put("iss", "https://login.test").put("aud", "traffic-coordinator");
  }

  private static String hs(JsonObject claims) {
    return Jwts.hs256(Jwts.header("HS256").put("kid", "hs"), claims, SECRET);
  }

  private static HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.controlPort() + path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertRefused(HttpResponse<String> response, int status, String detail) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("content-type")).contains("application/problem+json");
    JsonObject problem = new JsonObject(response.body());
    assertThat(problem.getString("detail")).contains(detail);
    assertThat(problem.getString("correlationId")).isEqualTo(response.headers().firstValue("x-request-id").orElseThrow());
    if (status == 401) {
      assertThat(response.headers().firstValue("www-authenticate")).get().asString().startsWith("Bearer realm=\"traffic-coordinator\"");
    }
  }

  @Test
  void noTokenIs401WithAChallenge() throws Exception {
    HttpResponse<String> response = get(STATUS, null);
    assertRefused(response, 401, "a bearer token is required");
    assertThat(response.headers().firstValue("www-authenticate")).contains("Bearer realm=\"traffic-coordinator\"");
    assertRefused(get(STATUS, "Basic YWxpY2U6c2VjcmV0"), 401, "must be 'Bearer <token>'");
  }

  @Test
  void malformedTokensAre401() throws Exception {
    assertRefused(get(STATUS, "Bearer not-a-jwt"), 401, "not a signed JWT");
    assertRefused(get(STATUS, "Bearer a.b.c"), 401, "base64url without padding");
    assertRefused(get(STATUS, "Bearer YWJj.YWJj.YWJj"), 401, "header is not base64url JSON");
    String claimsNotAnObject = Jwts.hs256Text("{\"alg\":\"HS256\",\"kid\":\"hs\"}", "[1,2]", SECRET, URL);
    assertRefused(get(STATUS, "Bearer " + claimsNotAnObject), 401, "claims are not a base64url JSON object");
  }

  /** A registered claim of the wrong JSON type is a bad token (401), never a server error. */
  @Test
  void claimsOfTheWrongTypeAre401() throws Exception {
    Object[][] cases = {
        {"exp", "tomorrow", "exp must be a number"}, {"exp", null, "exp must be a number"},
        {"exp", new io.vertx.core.json.JsonArray().add(1), "exp must be a number"},
        {"exp", new JsonObject(), "exp must be a number"}, {"nbf", "now", "nbf must be a number"},
        {"iat", true, "iat must be a number"}, {"sub", 42, "sub must be a non-empty string"},
        {"sub", "", "sub must be a non-empty string"}, {"iss", 7, "iss must be a string"},
        {"aud", 7, "aud must be a string or an array of strings"},
        {"aud", new io.vertx.core.json.JsonArray().add(1), "aud must be a string or an array of strings"},
        {"roles", "admin", "roles claim must be an array of strings"},
        {"roles", new io.vertx.core.json.JsonArray().add(1), "roles claim must be an array of strings"}};
    for (Object[] bad : cases) {
      JsonObject claims = claims(300, "admin").put((String) bad[0], bad[1]);
      assertRefused(get(STATUS, "Bearer " + hs(claims)), 401, (String) bad[2]);
    }
    long exp = System.currentTimeMillis() / 1000 + 300;
    for (String notFinite : new String[] {"1e999", "-1e999"}) {
      String claims = "{\"sub\":\"alice\",\"iss\":\"https://login.test\",\"aud\":\"traffic-coordinator\","
          + "\"roles\":[\"admin\"],\"exp\":" + exp + ",\"nbf\":" + notFinite + "}";
      String token = Jwts.hs256Text("{\"alg\":\"HS256\",\"kid\":\"hs\"}", claims, SECRET, URL);
      assertRefused(get(STATUS, "Bearer " + token), 401, "nbf must be a number");
    }
  }

  /** RFC 7515 §4.1.11: an extension named critical that the verifier does not understand is a refusal. */
  @Test
  void aCriticalExtensionIs401() throws Exception {
    String token = Jwts.hs256(Jwts.header("HS256").put("kid", "hs").put("b64", false)
        .put("crit", new io.vertx.core.json.JsonArray().add("b64")), claims(300, "admin"), SECRET);
    assertRefused(get(STATUS, "Bearer " + token), 401, "critical extensions (crit)");
  }

  /** One token, one spelling: padded or standard-alphabet base64 is refused even when it signs. */
  @Test
  void onlyCanonicalBase64UrlIsAccepted() throws Exception {
    String header = "{\"alg\":\"HS256\",\"kid\":\"hs\"}";
    // A run of '~' (0x7E) encodes as "fn5+" in the standard alphabet, "fn5-" in base64url.
    String claims = claims(300, "admin").put("note", "~~~~~~~~~~~~").encode();
    assertThat(get(STATUS, "Bearer " + Jwts.hs256Text(header, claims, SECRET, URL)).statusCode())
        .as("the same token, canonical").isEqualTo(200);
    assertRefused(get(STATUS, "Bearer " + Jwts.hs256Text(header, claims, SECRET, java.util.Base64.getUrlEncoder())),
        401, "base64url without padding");
    assertRefused(get(STATUS, "Bearer " + Jwts.hs256Text(header, claims, SECRET, java.util.Base64.getEncoder().withoutPadding())),
        401, "base64url without padding");
    // 32 signature bytes are 43 characters: the last carries 4 bits and 2 unused ones, which must be
    // 0. With one set, the JDK's decoder still reads the same signature: only the shape check refuses.
    String token = Jwts.hs256Text(header, claims, SECRET, URL);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char stray = alphabet.charAt(alphabet.indexOf(token.charAt(token.length() - 1)) | 1);
    assertRefused(get(STATUS, "Bearer " + token.substring(0, token.length() - 1) + stray), 401, "base64url without padding");
  }

  @Test
  void aBadSignatureIs401() throws Exception {
    String token = hs(claims(300, "admin"));
    String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "QQQQ" : "AAAA");
    assertRefused(get(STATUS, "Bearer " + tampered), 401, "the signature does not verify");
    String otherSecret = Jwts.hs256(Jwts.header("HS256").put("kid", "hs"), claims(300, "admin"),
        "another-secret-of-thirty-two-bytes".getBytes(StandardCharsets.UTF_8));
    assertRefused(get(STATUS, "Bearer " + otherSecret), 401, "the signature does not verify");
  }

  @Test
  void anUnsignedTokenIs401() throws Exception {
    assertRefused(get(STATUS, "Bearer " + Jwts.unsigned(claims(300, "admin"))), 401, "not a signed JWT");
    // With something in the signature's place, alg none is refused by name.
    HttpResponse<String> response = get(STATUS, "Bearer " + Jwts.unsigned(claims(300, "admin")) + "c2lnbmF0dXJl");
    assertRefused(response, 401, "algorithm 'none' is not accepted");
    assertThat(response.headers().firstValue("www-authenticate")).get().asString().contains("error=\"invalid_token\"");
  }

  @Test
  void anEmptySignatureOrAHostileAlgorithmIs401() throws Exception {
    // "header.claims." would be read as an unsigned token by the library if it ever ran without keys.
    String unsignedRs = Jwts.signingInput(Jwts.header("RS256").put("kid", "rs"), claims(300, "admin")) + ".";
    assertRefused(get(STATUS, "Bearer " + unsignedRs), 401, "not a signed JWT");
    String crlf = Jwts.hs256(new JsonObject().put("alg", "HS256\r\nX-Evil: 1"), claims(300, "admin"), SECRET);
    assertRefused(get(STATUS, "Bearer " + crlf), 401, "algorithm (not a valid name) is not accepted");
  }

  @Test
  void anHs256TokenSignedWithTheRsaPublicKeyIs401() throws Exception {
    // The classic key confusion: the attacker knows the public key and uses its PEM as an HMAC secret.
    byte[] publicPem = Jwts.pem(rsa.getPublic()).getBytes(StandardCharsets.US_ASCII);
    String forged = Jwts.hs256(Jwts.header("HS256").put("kid", "rs"), claims(300, "admin"), publicPem);
    assertRefused(get(STATUS, "Bearer " + forged), 401, "no key matches");
    String forgedNoKid = Jwts.hs256(Jwts.header("HS256"), claims(300, "admin"), publicPem);
    assertRefused(get(STATUS, "Bearer " + forgedNoKid), 401, "the signature does not verify");
  }

  @Test
  void embeddedKeysAreNeverTrusted() throws Exception {
    String token = Jwts.rs256(Jwts.header("RS256").put("kid", "rs").put("jku", "https://evil.test/jwks.json"),
        claims(300, "admin"), rsa.getPrivate());
    assertRefused(get(STATUS, "Bearer " + token), 401, "keys carried in the token (jku) are not trusted");
  }

  @Test
  void expiredAndNotYetValidTokensAre401() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    assertRefused(get(STATUS, "Bearer " + hs(claims(300, "admin").put("exp", now - 60))), 401, "expired or not yet valid");
    assertRefused(get(STATUS, "Bearer " + hs(claims(300, "admin").put("nbf", now + 600))), 401, "expired or not yet valid");
    // Within the 5 s clock skew: accepted.
    assertThat(get(STATUS, "Bearer " + hs(claims(300, "admin").put("exp", now - 2))).statusCode()).isEqualTo(200);
    JsonObject noExpiry = claims(300, "admin");
    noExpiry.remove("exp");
    assertRefused(get(STATUS, "Bearer " + hs(noExpiry)), 401, "has no exp");
  }

  @Test
  void theWrongIssuerOrAudienceIs401() throws Exception {
    assertRefused(get(STATUS, "Bearer " + hs(claims(300, "admin").put("iss", "https://other.test"))), 401, "another issuer");
    assertRefused(get(STATUS, "Bearer " + hs(claims(300, "admin").put("aud", "someone-else"))), 401, "not for this audience");
  }

  @Test
  void aRoleTooLowIs403AndEachRoleGetsWhatItMay() throws Exception {
    String viewer = "Bearer " + hs(claims(300, "viewer"));
    String operator = "Bearer " + Jwts.rs256(Jwts.header("RS256").put("kid", "rs"), claims(300, "operator"), rsa.getPrivate());
    String admin = "Bearer " + hs(claims(300, "admin", "viewer"));
    String nobody = "Bearer " + hs(claims(300, "superuser"));

    assertThat(get(STATUS, viewer).statusCode()).isEqualTo(200);
    assertThat(get(STATUS, operator).statusCode()).isEqualTo(200);
    assertThat(get(STATUS, admin).statusCode()).isEqualTo(200);
    assertRefused(get(STATUS, nobody), 403, "the token has no known role");
    assertRefused(get(AUDIT, viewer), 403, "needs the admin role; the token has viewer");
    assertRefused(get(AUDIT, operator), 403, "needs the admin role; the token has operator");
    assertThat(get(AUDIT, admin).statusCode()).isEqualTo(200);
  }

  @Test
  void es256AndJwksKeysVerifyTheirOwnTokens() throws Exception {
    String es = Jwts.es256(Jwts.header("ES256").put("kid", "es"), claims(300, "viewer"), ec.getPrivate());
    assertThat(get(STATUS, "Bearer " + es).statusCode()).isEqualTo(200);
    String fromIdp = Jwts.rs256(Jwts.header("RS256").put("kid", "idp-1"), claims(300, "viewer"), jwksRsa.getPrivate());
    assertThat(get(STATUS, "Bearer " + fromIdp).statusCode()).isEqualTo(200);
    // The identity provider's key signs, but claims the ES256 key's id: no key matches.
    String wrongKid = Jwts.rs256(Jwts.header("RS256").put("kid", "es"), claims(300, "viewer"), jwksRsa.getPrivate());
    assertRefused(get(STATUS, "Bearer " + wrongKid), 401, "no key matches");
  }

  @Test
  void refusalsOfEveryKindAreAudited() throws Exception {
    get(AUDIT, null);
    get(AUDIT, "Bearer " + hs(claims(300, "viewer")));
    String admin = "Bearer " + hs(claims(300, "admin"));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .pollInterval(java.time.Duration.ofMillis(300)).untilAsserted(() -> {
      io.vertx.core.json.JsonArray items = new JsonObject(get(AUDIT + "?action=audit&limit=500", admin).body()).getJsonArray("items");
      assertThat(items).extracting(e -> ((JsonObject) e).getString("outcome") + " " + ((JsonObject) e).getInteger("status"))
          .contains("unauthenticated 401", "forbidden 403");
      JsonObject forbidden = items.stream().map(JsonObject.class::cast)
          .filter(e -> e.getString("outcome").equals("forbidden")).findFirst().orElseThrow();
      assertThat(forbidden.getString("actor")).isEqualTo("alice");
      assertThat(forbidden.getString("role")).isEqualTo("viewer");
      assertThat(forbidden.getString("client")).isEqualTo("127.0.0.1");
      assertThat(forbidden.getString("correlationId")).isNotBlank();
    });
  }

  @Test
  void aRefusedRequestWhoseBodyWasNotReadClosesItsConnection() throws Exception {
    // 300 KiB that the gate never reads: the 401 says Connection: close rather than leave it in the socket.
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", proxy.controlPort())) {
      socket.setSoTimeout(10_000);
      int size = 300 * 1024;
      socket.getOutputStream().write(("POST /api/v1/master-coordination/configure-load-balancing HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(new byte[64 * 1024]);
      String head = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(head).isEqualTo("HTTP/1.1 401");
      // Then the connection ends (closed, or reset since the unread body is discarded) instead of
      // hanging until the read times out.
      boolean ended;
      try {
        socket.getInputStream().readAllBytes();
        ended = true;
      } catch (java.net.SocketTimeoutException e) {
        ended = false;
      } catch (java.io.IOException reset) {
        ended = true;
      }
      assertThat(ended).as("the connection was closed").isTrue();
    }
  }
}
