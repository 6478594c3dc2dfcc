package io.trafficcoordinator.control;

import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.trafficcoordinator.config.ConfigBinder;
import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Health for orchestrators, Prometheus metrics, and the access log. */
class ControlPlaneTest {

  private static Vertx vertx;
  private static TestBackend backend;
  private static ProxyFixture proxy;
  private static final ListAppender<ILoggingEvent> accessLines = new ListAppender<>();

  private static Map<String, Object> config(boolean accessLog) {
    return map(
        "proxy", map("accessLog", accessLog),
        "services", list(map("name", "svc", "group", "core", "endpoints", list(map("id", "only", "url", backend.url())))),
        "routes", list(map("name", "all", "pathPrefix", "/app", "service", "svc")));
  }

  @BeforeAll
  static void start() throws Exception {
    Logger access = (Logger) LoggerFactory.getLogger("access");
    accessLines.start();
    access.addAppender(accessLines);
    vertx = Vertx.vertx();
    backend = TestBackend.start(vertx, "backend");
    proxy = ProxyFixture.start(config(true));
  }

  @AfterAll
  static void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger("access")).detachAppender(accessLines);
    proxy.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void readinessIsUpOnceBothListenersAreBound() throws Exception {
    HttpResponse<String> health = proxy.control("/api/v1/master-coordination/health");

    assertThat(health.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(health.body());
    assertThat(body.getString("status")).isEqualTo("UP");
    assertThat(body.getLong("configVersion")).isPositive();
    assertThat(body.getJsonObject("listeners").getString("data")).isEqualTo("127.0.0.1:" + proxy.port());
    assertThat(health.headers().firstValue("x-request-id")).isPresent();
  }

  @Test
  void livenessAnswersWhileTheProcessRuns() throws Exception {
    HttpResponse<String> live = proxy.control("/api/v1/master-coordination/health?probe=liveness");

    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(live.body()).getString("probe")).isEqualTo("liveness");
  }

  @Test
  void unknownControlPathIsAProblemWithTheRequestId() throws Exception {
    HttpResponse<String> missing = proxy.control("/api/v1/master-coordination/nothing");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("content-type")).contains("application/problem+json");
    assertThat(new JsonObject(missing.body()).getString("correlationId"))
        .isEqualTo(missing.headers().firstValue("x-request-id").orElseThrow());
  }

  @Test
  void metricsCountRequestsPerRouteEndpointAndProblem() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(proxy.get("/app/x").statusCode()).isEqualTo(200);
    }
    assertThat(proxy.get("/elsewhere").statusCode()).isEqualTo(404);

    String metrics = proxy.control("/metrics").body();
    Map<String, Double> samples = metrics.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
        .collect(Collectors.toMap(l -> l.substring(0, l.lastIndexOf(' ')), l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)),
            (a, b) -> b, LinkedHashMap::new));
    assertThat(samples.get("coordinator_requests_total{code=\"2xx\",route=\"all\",service=\"svc\"}")).isGreaterThanOrEqualTo(3.0);
    assertThat(samples.get("coordinator_endpoint_requests_total{endpoint=\"only\",outcome=\"success\",service=\"svc\"}"))
        .isGreaterThanOrEqualTo(3.0);
    assertThat(samples.get("coordinator_proxy_errors_total{type=\"no-route\"}")).isGreaterThanOrEqualTo(1.0);
    assertThat(samples.get("coordinator_requests_in_flight{service=\"svc\"}")).isEqualTo(0.0);
    assertThat(samples).containsKey("coordinator_request_duration_seconds_bucket{route=\"all\",service=\"svc\",le=\"0.005\"}");
    assertThat(samples).containsKey("coordinator_config_version");
  }

  @Test
  void eachRequestGetsOneStructuredAccessLineAndTheLogCanBeTurnedOff() throws Exception {
    accessLines.list.clear();
    proxy.get("/app/logged?q=1");
    await().atMost(Duration.ofSeconds(5)).until(() -> !accessLines.list.isEmpty());

    Map<String, Object> line = accessLines.list.get(0).getKeyValuePairs().stream()
        .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value));
    assertThat(line).containsEntry("method", "GET").containsEntry("path", "/app/logged").containsEntry("route", "all")
        .containsEntry("service", "svc").containsEntry("endpoint", "only").containsEntry("status", 200);
    assertThat(line).containsKeys("requestBytes", "responseBytes", "durationMs", "requestId", "client");

    proxy.coordinator().apply(ConfigBinder.bind(withPorts(config(false))));
    accessLines.list.clear();
    proxy.get("/app/quiet");
    proxy.coordinator().apply(ConfigBinder.bind(withPorts(config(true))));
    assertThat(accessLines.list).isEmpty();
  }

  private static Map<String, Object> withPorts(Map<String, Object> tree) {
    tree.put("listeners", map("data", map("host", "127.0.0.1", "port", 0), "control", map("host", "127.0.0.1", "port", 0)));
    tree.put("security", io.trafficcoordinator.config.ConfigTrees.testSecurity());
    return tree;
  }
}
