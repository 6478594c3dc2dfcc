package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.RawHttp;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Which endpoint a request reaches, with which path and headers. */
class ProxyRoutingTest {

  private static Vertx vertx;
  private static TestBackend root;
  private static TestBackend api;
  private static TestBackend users;
  private static TestBackend admin;
  private static ProxyFixture proxy;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    root = TestBackend.start(vertx, "root");
    api = TestBackend.start(vertx, "api");
    users = TestBackend.start(vertx, "users");
    admin = TestBackend.start(vertx, "admin");
    proxy = ProxyFixture.start(map(
        "proxy", map("trustedProxies", list("10.0.0.0/8")),
        "services", list(
            service("root", root, false),
            service("api", api, false),
            service("users", users, true),
            service("admin", admin, false)),
        "routes", list(
            // Same prefix length as "root": declared first, so it wins for its host.
            map("name", "admin-host", "pathPrefix", "/", "host", "admin.example.com", "service", "admin"),
            map("name", "root", "pathPrefix", "/", "service", "root"),
            map("name", "api", "pathPrefix", "/api", "service", "api"),
            map("name", "users-v2", "pathPrefix", "/api/users", "service", "users", "rewritePrefix", "/v2/users"),
            map("name", "admin", "pathPrefix", "/admin", "service", "admin", "methods", list("GET")))));
  }

  private static Object service(String name, TestBackend backend, boolean preserveHost) {
    return map("name", name, "preserveHost", preserveHost, "endpoints", list(map("url", backend.url())));
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static JsonObject get(String target, String... headerLines) throws Exception {
    StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: proxy.test\r\n");
    for (String header : headerLines) {
      request.append(header).append("\r\n");
    }
    RawHttp.Response response = RawHttp.exchange(proxy.port(), request.append("\r\n").toString());
    assertThat(response.status()).as("status of %s", target).isEqualTo(200);
    return new JsonObject(response.body()).put("responseRequestId", response.header("x-request-id"));
  }

  @Test
  void longestPrefixWinsAtSegmentBoundaries() throws Exception {
    assertThat(get("/api/users/7").getString("endpoint")).isEqualTo("users");
    assertThat(get("/api/usersx").getString("endpoint")).isEqualTo("api");
    assertThat(get("/api").getString("endpoint")).isEqualTo("api");
    assertThat(get("/apix").getString("endpoint")).isEqualTo("root");
    assertThat(get("/").getString("endpoint")).isEqualTo("root");
  }

  @Test
  void rewriteReplacesThePrefixAndKeepsTheQuery() throws Exception {
    assertThat(get("/api/users/7?expand=orders&x=%20").getString("uri")).isEqualTo("/v2/users/7?expand=orders&x=%20");
    assertThat(get("/api/orders?id=1").getString("uri")).isEqualTo("/api/orders?id=1");
  }

  @Test
  void dotSegmentsAndEncodedUnreservedCharactersAreResolvedBeforeMatching() throws Exception {
    // Without normalisation these would reach "api" and "root" with paths that mean the admin area.
    JsonObject climbed = get("/api/../admin/panel");
    assertThat(climbed.getString("endpoint")).isEqualTo("admin");
    assertThat(climbed.getString("uri")).isEqualTo("/admin/panel");
    JsonObject encoded = get("/%61dmin/panel");
    assertThat(encoded.getString("endpoint")).isEqualTo("admin");
    assertThat(encoded.getString("uri")).isEqualTo("/admin/panel");
    assertThat(get("/api/./users/%2e/7").getString("uri")).isEqualTo("/v2/users/7");
  }

  @Test
  void pathClimbingAboveTheRootIsRefusedWith400() throws Exception {
    RawHttp.Response response = RawHttp.exchange(proxy.port(), "GET /api/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("content-type")).isEqualTo("application/problem+json");
    assertThat(new JsonObject(response.body()).getString("type")).isEqualTo("urn:traffic-coordinator:problem:bad-path");
    assertThat(admin.seen()).noneMatch(seen -> seen.uri().contains("etc"));
    assertThat(root.seen()).noneMatch(seen -> seen.uri().contains("etc"));
  }

  @Test
  void methodAndHostNarrowARoute() throws Exception {
    assertThat(get("/admin/x").getString("endpoint")).isEqualTo("admin");
    RawHttp.Response post = RawHttp.exchange(proxy.port(),
        "POST /admin/x HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: 0\r\n\r\n");
    assertThat(new JsonObject(post.body()).getString("endpoint")).isEqualTo("root");
    RawHttp.Response byHost = RawHttp.exchange(proxy.port(), "GET /anything HTTP/1.1\r\nHost: Admin.Example.com:8080\r\n\r\n");
    assertThat(new JsonObject(byHost.body()).getString("endpoint")).isEqualTo("admin");
  }

  @Test
  void forwardedHeadersAreSetAndForgedOnesReplaced() throws Exception {
    JsonObject headers = get("/api/x", "X-Forwarded-For: 6.6.6.6", "X-Forwarded-Proto: https",
        "X-Forwarded-Host: evil.example", "Forwarded: for=6.6.6.6").getJsonObject("headers");

    // 127.0.0.1 is not a trusted proxy here (only 10.0.0.0/8 is): its claims are replaced.
    assertThat(headers.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(headers.getString("x-forwarded-proto")).isEqualTo("http");
    assertThat(headers.getString("x-forwarded-host")).isEqualTo("proxy.test");
    assertThat(headers.containsKey("forwarded")).isFalse();
  }

  @Test
  void aTrustedProxysForwardedHeadersAreKeptAndAppendedTo() throws Exception {
    io.trafficcoordinator.config.CoordinatorConfig running = proxy.coordinator().currentConfig();
    proxy.coordinator().apply(new io.trafficcoordinator.config.CoordinatorConfig(running.listeners(), running.limits(),
        new io.trafficcoordinator.config.ProxyConfig(java.util.List.of(io.trafficcoordinator.net.Cidr.parse("127.0.0.0/8")), true),
        running.services(), running.routes(), running.security(), running.store(), running.controlApi()));
    try {
      JsonObject headers = get("/api/x", "X-Forwarded-For: 203.0.113.7, 10.1.2.3", "X-Forwarded-Proto: https",
          "X-Forwarded-Host: shop.example").getJsonObject("headers");

      assertThat(headers.getString("x-forwarded-for")).isEqualTo("203.0.113.7, 10.1.2.3, 127.0.0.1");
      assertThat(headers.getString("x-forwarded-proto")).isEqualTo("https");
      assertThat(headers.getString("x-forwarded-host")).isEqualTo("shop.example");
    } finally {
      proxy.coordinator().apply(running);
    }
  }

  @Test
  void requestIdIsKeptWhenWellFormedAndGeneratedOtherwise() throws Exception {
    JsonObject kept = get("/api/x", "X-Request-Id: trace-42.a_b");
    assertThat(kept.getJsonObject("headers").getString("x-request-id")).isEqualTo("trace-42.a_b");
    assertThat(kept.getString("responseRequestId")).isEqualTo("trace-42.a_b");

    JsonObject replaced = get("/api/x", "X-Request-Id: bad id with spaces");
    String generated = replaced.getJsonObject("headers").getString("x-request-id");
    assertThat(generated).matches("[0-9a-f]{32}");
    assertThat(replaced.getString("responseRequestId")).isEqualTo(generated);

    JsonObject tooLong = get("/api/x", "X-Request-Id: " + "a".repeat(129));
    assertThat(tooLong.getString("responseRequestId")).matches("[0-9a-f]{32}");
    JsonObject none = get("/api/x");
    assertThat(none.getString("responseRequestId")).matches("[0-9a-f]{32}");
  }

  @Test
  void hopByHopHeadersAndThoseTheConnectionHeaderNamesAreNotForwarded() throws Exception {
    JsonObject headers = get("/api/x", "Connection: keep-alive, X-Secret-Hop", "X-Secret-Hop: 1", "Keep-Alive: timeout=5",
        "Proxy-Connection: keep-alive", "TE: trailers", "Upgrade: h2c", "X-End-To-End: kept").getJsonObject("headers");

    assertThat(headers.fieldNames()).doesNotContain("x-secret-hop", "keep-alive", "proxy-connection", "te", "upgrade");
    assertThat(headers.getString("x-end-to-end")).isEqualTo("kept");
  }

  @Test
  void hostHeaderIsTheEndpointsUnlessTheServiceKeepsTheClients() throws Exception {
    assertThat(get("/api/x").getJsonObject("headers").getString("host")).isEqualTo("127.0.0.1:" + api.port());
    assertThat(get("/api/users/1").getJsonObject("headers").getString("host")).isEqualTo("proxy.test");
  }

  @Test
  void responseHeadersPassThroughExceptHopByHop() throws Exception {
    api.behave((request, bytes) -> request.response()
        .putHeader("x-custom", "yes").putHeader("keep-alive", "timeout=99").putHeader("x-request-id", "endpoint-made")
        .end("ok"));
    try {
      RawHttp.Response response = RawHttp.exchange(proxy.port(), "GET /api/h HTTP/1.1\r\nHost: x\r\nX-Request-Id: mine\r\n\r\n");
      assertThat(response.header("x-custom")).isEqualTo("yes");
      assertThat(response.header("keep-alive")).isNull();
      assertThat(response.header("x-request-id")).isEqualTo("mine");
      assertThat(response.body()).isEqualTo("ok");
    } finally {
      api.behave(TestBackend::echo);
    }
  }
}
