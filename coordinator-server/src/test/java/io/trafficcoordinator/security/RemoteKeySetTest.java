package io.trafficcoordinator.security;

import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.trafficcoordinator.testing.Jwts;
import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Signing keys fetched from an identity provider's JWKS URL: used at start, replaced when the
 * provider rotates them, kept through a failed fetch, and dropped once the stale-if-error window
 * is over. The provider is a local server; refreshes are a second apart.
 */
class RemoteKeySetTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final Vertx vertx = Vertx.vertx();
  private final AtomicReference<String> keySet = new AtomicReference<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private ProxyFixture proxy;

  @AfterEach
  void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static String jwks(KeyPair pair, String kid) {
    return new JsonObject().put("keys", new JsonArray()
        .add(Jwts.rsaJwk((RSAPublicKey) pair.getPublic(), kid))
        // An encryption key, as identity providers list them beside their signing keys: skipped.
        .add(new JsonObject().put("kty", "RSA").put("use", "enc").put("alg", "RSA-OAEP").put("kid", "enc-1")
            .put("n", "AQAB").put("e", "AQAB"))).encode();
  }

  private int get(String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/secure"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static String token(KeyPair pair, String kid) {
    return Jwts.rs256(Jwts.header("RS256").put("kid", kid), Jwts.claims("alice", 300, "viewer").put("aud", "shop"),
        pair.getPrivate());
  }

  @Test
  void keysAreFetchedRotatedKeptThroughAnOutageThenDropped() throws Exception {
    KeyPair first = Jwts.rsaKeyPair();
    KeyPair second = Jwts.rsaKeyPair();
    keySet.set(jwks(first, "k1"));
    HttpServer provider = vertx.createHttpServer().requestHandler(request -> request.response()
        .setStatusCode(status.get()).putHeader("cache-control", "max-age=300").end(status.get() == 200 ? keySet.get() : "down"))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    TestBackend backend = TestBackend.start(vertx, "backend");
    proxy = ProxyFixture.start(map(
        "proxy", map("accessLog", false),
        "security", map("jwt", map("jwksUrl", "http://127.0.0.1:" + provider.actualPort() + "/jwks",
            "jwksRefresh", "1s", "jwksStaleIfError", "3s", "audience", "shop")),
        "services", list(map("name", "api", "endpoints", list(map("url", backend.url())))),
        "routes", list(map("pathPrefix", "/secure", "service", "api", "auth", map()))));

    assertThat(get(token(first, "k1"))).as("fetched at start").isEqualTo(200);
    assertThat(get(token(second, "k2"))).isEqualTo(401);

    keySet.set(jwks(second, "k2"));
    await().atMost(Duration.ofSeconds(15)).until(() -> get(token(second, "k2")) == 200);
    assertThat(get(token(first, "k1"))).as("the rotated-out key is gone").isEqualTo(401);

    status.set(503);
    await().atMost(Duration.ofSeconds(15)).until(() -> fetches("failed") >= 1);
    assertThat(get(token(second, "k2"))).as("kept through a failed fetch").isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> get(token(second, "k2")) == 401);

    status.set(200);
    await().atMost(Duration.ofSeconds(15)).until(() -> get(token(second, "k2")) == 200);
  }

  private double fetches(String result) {
    Counter counter = proxy.coordinator().registry().find("coordinator_jwks_fetches").tag("result", result).counter();
    return counter == null ? 0 : counter.count();
  }
}
