package io.trafficcoordinator.control;

import static io.trafficcoordinator.config.ConfigTrees.TEST_SECRET;
import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trafficcoordinator.testing.Jwts;
import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration operations of the control API, each success and error, behind the real listener. */
class ConfigApiTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String BASE = "/api/v1/master-coordination";

  @TempDir
  Path dir;
  private Vertx vertx;
  private TestBackend a;
  private TestBackend b;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    a = TestBackend.start(vertx, "a");
    b = TestBackend.start(vertx, "b");
  }

  @AfterEach
  void stop() throws Exception {
    a.close();
    b.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private Map<String, Object> config(Map<String, Object> store) {
    return map(
        "services", list(map("name", "catalog", "group", "shop", "strategy", "round-robin", "endpoints", list(
            map("id", "a", "url", a.url(), "zone", "z1"), map("id", "b", "url", b.url(), "zone", "z2")))),
        "routes", list(map("pathPrefix", "/", "service", "catalog")),
        "store", store,
        // Room for the polls and bursts of these tests (RateLimitTest covers the limits).
        "controlApi", map("rateLimits", map(
            "audit", map("perMinute", 6000, "burst", 100),
            "configure-load-balancing", map("perMinute", 6000, "burst", 100))));
  }

  private static String token(String role) {
    return "Bearer " + Jwts.hs256(Jwts.header("HS256"), Jwts.claims("alice", 300, role), TEST_SECRET.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> call(ProxyFixture proxy, String method, String path, String role, String json)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.controlPort() + BASE + path))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (role != null) {
      request.header("Authorization", token(role));
    }
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  private static JsonObject problem(HttpResponse<String> response, int status, String type) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("content-type")).contains("application/problem+json");
    JsonObject problem = new JsonObject(response.body());
    assertThat(problem.getString("type")).isEqualTo("urn:traffic-coordinator:problem:" + type);
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("correlationId")).isEqualTo(response.headers().firstValue("x-request-id").orElseThrow());
    return problem;
  }

  @Test
  void changingAStrategyIsStoredAppliedShownAndAudited() throws Exception {
    try (ProxyFixture proxy = ProxyFixture.start(config(map("type", "memory")))) {
      // A dry run validates and shows the diff, and changes nothing.
      JsonObject dry = ok(call(proxy, "POST", "/configure-load-balancing", "admin",
          "{\"service\":\"catalog\",\"strategy\":\"least-latency\",\"dryRun\":true}"));
      assertThat(dry.getLong("version")).isEqualTo(1);
      assertThat(dry.getBoolean("applied")).isFalse();
      assertThat(dry.getJsonArray("diff")).containsExactly(
          new JsonObject().put("op", "replace").put("path", "/services/0/strategy").put("value", "least-latency"));

      JsonObject change = ok(call(proxy, "POST", "/configure-load-balancing", "admin",
          "{\"service\":\"catalog\",\"strategy\":\"least-latency\",\"expectedVersion\":1}"));
      assertThat(change.getLong("version")).isEqualTo(2);
      assertThat(change.getBoolean("applied")).isTrue();

      JsonObject status = ok(call(proxy, "GET", "/system-status", "viewer", null));
      assertThat(status.getLong("configVersion")).isEqualTo(2);
      JsonObject catalog = status.getJsonArray("services").getJsonObject(0);
      assertThat(catalog.getString("strategy")).isEqualTo("least-latency");
      assertThat(catalog.getJsonArray("endpoints")).extracting(e -> ((JsonObject) e).getString("health")).containsOnly("healthy");

      // The stale version is refused, with nothing changed.
      JsonObject conflict = problem(call(proxy, "POST", "/configure-load-balancing", "admin",
          "{\"service\":\"catalog\",\"strategy\":\"round-robin\",\"expectedVersion\":1}"), 409, "version-conflict");
      assertThat(conflict.getString("detail")).contains("at version 2, not the expected 1");

      JsonArray audit = ok(call(proxy, "GET", "/audit?action=configure-load-balancing", "admin", null)).getJsonArray("items");
      assertThat(audit).extracting(e -> ((JsonObject) e).getString("outcome")).containsExactly("conflict", "applied");
      JsonObject applied = audit.getJsonObject(1);
      assertThat(applied.getString("actor")).isEqualTo("alice");
      assertThat(applied.getString("role")).isEqualTo("admin");
      assertThat(applied.getString("target")).isEqualTo("catalog");
      assertThat(applied.getJsonArray("diff").getJsonObject(0).getString("path")).isEqualTo("/services/0/strategy");
    }
  }

  @Test
  void invalidRequestsListEveryBadFieldWithItsPath() throws Exception {
    try (ProxyFixture proxy = ProxyFixture.start(config(map("type", "memory")))) {
      JsonObject shape = problem(call(proxy, "POST", "/configure-load-balancing", "admin",
          "{\"strategy\":7,\"colour\":\"blue\",\"endpoints\":[{\"weight\":2}]}"), 400, "invalid-request");
      assertThat(shape.getJsonArray("errors")).extracting(e -> ((JsonObject) e).getString("path") + ": " + ((JsonObject) e).getString("message"))
          .containsExactlyInAnyOrder("service: Instance does not have required property \"service\"",
              "strategy: Instance type number is invalid. Expected string",
              "endpoints[0]: matches none of the allowed forms (see the API document)",
              "colour: unknown field");

      JsonObject invalid = problem(call(proxy, "POST", "/configure-load-balancing", "admin",
          "{\"service\":\"catalog\",\"strategy\":\"fastest\",\"weights\":{\"a\":0}}"), 400, "invalid-configuration");
      assertThat(invalid.getJsonArray("errors")).extracting(e -> ((JsonObject) e).getString("path"))
          .containsExactlyInAnyOrder("services[0].strategy", "services[0].endpoints[0].weight");

      problem(call(proxy, "POST", "/configure-load-balancing", "admin", "{\"service\":\"search\",\"strategy\":\"least-latency\"}"),
          404, "no-such-service");
      problem(call(proxy, "POST", "/configure-load-balancing", "admin", "{not json"), 400, "invalid-request");
      HttpResponse<String> noType = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.controlPort() + BASE
          + "/configure-load-balancing")).header("Authorization", token("admin"))
          .POST(HttpRequest.BodyPublishers.ofString("service=catalog")).build(), HttpResponse.BodyHandlers.ofString());
      problem(noType, 415, "unsupported-media-type");
      assertThat(ok(call(proxy, "GET", "/config", "viewer", null)).getLong("version")).isEqualTo(1);

      // Refusals are audited too (written within a couple of seconds, counted per kind).
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(ok(call(proxy, "GET", "/audit", "admin", null)).getJsonArray("items"))
              .extracting(e -> ((JsonObject) e).getString("outcome") + " " + ((JsonObject) e).getInteger("status"))
              .contains("invalid 400", "invalid 404", "invalid 415"));
    }
  }

  @Test
  void endpointsAreReplacedMatchedByIdAndAServiceCanBeCreated() throws Exception {
    try (ProxyFixture proxy = ProxyFixture.start(config(map("type", "memory")))) {
      // b keeps its URL and stats by id, with a new weight; a is dropped; c is new.
      ok(call(proxy, "POST", "/configure-load-balancing", "admin", "{\"service\":\"catalog\",\"endpoints\":["
          + "{\"id\":\"b\",\"weight\":3},{\"id\":\"c\",\"url\":\"" + a.url() + "\",\"zone\":\"z3\"}]}"));
      JsonArray endpoints = ok(call(proxy, "GET", "/system-status", "viewer", null)).getJsonArray("services")
          .getJsonObject(0).getJsonArray("endpoints");
      assertThat(endpoints).extracting(e -> ((JsonObject) e).getString("id") + " " + ((JsonObject) e).getInteger("weight")
          + " " + ((JsonObject) e).getString("url")).containsExactly("b 3 " + b.url(), "c 1 " + a.url());

      problem(call(proxy, "POST", "/configure-load-balancing", "admin", "{\"service\":\"catalog\",\"endpoints\":[{\"id\":\"zz\"}]}"),
          400, "invalid-request");

      JsonObject created = ok(call(proxy, "POST", "/configure-load-balancing", "admin", "{\"service\":\"search\","
          + "\"group\":\"shop\",\"strategy\":\"adaptive-intelligent\",\"endpoints\":[{\"url\":\"" + b.url() + "\"}]}"));
      assertThat(created.getLong("version")).isEqualTo(3);
      JsonArray groups = ok(call(proxy, "GET", "/group-integration-status", "viewer", null)).getJsonArray("groups");
      assertThat(groups.getJsonObject(0).getString("group")).isEqualTo("shop");
      assertThat(groups.getJsonObject(0).getJsonArray("services")).containsExactly("catalog", "search");
      assertThat(groups.getJsonObject(0).getString("status")).isEqualTo("operational");
    }
  }

  @Test
  void historyPagesAndARollbackIsANewVersion() throws Exception {
    try (ProxyFixture proxy = ProxyFixture.start(config(map("type", "memory")))) {
      for (String strategy : new String[] {"least-latency", "adaptive-intelligent", "predictive-system"}) {
        ok(call(proxy, "POST", "/configure-load-balancing", "admin", "{\"service\":\"catalog\",\"strategy\":\"" + strategy + "\"}"));
      }
      JsonObject first = ok(call(proxy, "GET", "/config/history?limit=2", "viewer", null));
      assertThat(first.getJsonArray("items")).extracting(e -> ((JsonObject) e).getLong("version")).containsExactly(4L, 3L);
      JsonObject second = ok(call(proxy, "GET", "/config/history?limit=2&cursor=" + first.getString("nextCursor"), "viewer", null));
      assertThat(second.getJsonArray("items")).extracting(e -> ((JsonObject) e).getLong("version")).containsExactly(2L, 1L);
      assertThat(second.containsKey("nextCursor")).isFalse();
      assertThat(second.getJsonArray("items").getJsonObject(1).getString("source")).isEqualTo("seed");
      problem(call(proxy, "GET", "/config/history?cursor=bogus", "viewer", null), 400, "invalid-request");
      problem(call(proxy, "GET", "/config/history?limit=0", "viewer", null), 400, "invalid-request");

      JsonObject rollback = ok(call(proxy, "POST", "/config/rollback", "admin", "{\"version\":2}"));
      assertThat(rollback.getLong("version")).isEqualTo(5);
      JsonObject now = ok(call(proxy, "GET", "/config", "viewer", null));
      assertThat(now.getLong("version")).isEqualTo(5);
      JsonObject configuration = now.getJsonObject("configuration");
      assertThat(configuration.getJsonArray("services").getJsonObject(0).getString("strategy")).isEqualTo("least-latency");
      // Secrets never leave: the HS256 secret is shown redacted.
      assertThat(now.encode()).doesNotContain(TEST_SECRET).contains("[redacted]");
      problem(call(proxy, "POST", "/config/rollback", "admin", "{\"version\":99}"), 404, "no-such-version");
      problem(call(proxy, "POST", "/config/rollback", "admin", "{}"), 400, "invalid-request");
      JsonObject badRollback = problem(call(proxy, "POST", "/config/rollback", "admin",
          "{\"version\":2,\"expectedVersion\":\"5\",\"dryRun\":\"yes\",\"force\":true}"), 400, "invalid-request");
      assertThat(badRollback.getJsonArray("errors")).extracting(e -> ((JsonObject) e).getString("path") + ": " + ((JsonObject) e).getString("message"))
          .containsExactlyInAnyOrder("expectedVersion: Instance type string is invalid. Expected integer",
              "dryRun: Instance type string is invalid. Expected boolean", "force: unknown field");
    }
  }

  @Test
  void aChangeSurvivesARestartWithTheStoreAsTheTruth() throws Exception {
    Map<String, Object> store = map("type", "sqlite", "path", dir.resolve("data/coordinator.db").toString());
    try (ProxyFixture proxy = ProxyFixture.start(config(store))) {
      ok(call(proxy, "POST", "/configure-load-balancing", "admin", "{\"service\":\"catalog\",\"strategy\":\"least-latency\"}"));
    }
    // The file still says round-robin; the store wins.
    try (ProxyFixture proxy = ProxyFixture.start(config(store))) {
      JsonObject status = ok(call(proxy, "GET", "/system-status", "viewer", null));
      assertThat(status.getLong("configVersion")).isEqualTo(2);
      assertThat(status.getJsonArray("services").getJsonObject(0).getString("strategy")).isEqualTo("least-latency");
      assertThat(ok(call(proxy, "GET", "/audit?actor=alice", "admin", null)).getJsonArray("items")).hasSize(1);
    }
  }
}
