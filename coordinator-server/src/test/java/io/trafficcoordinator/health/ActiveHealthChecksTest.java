package io.trafficcoordinator.health;

import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Active checks behind the real proxy: an endpoint whose check fails is taken out of rotation
 * (announced on the event bus before traffic stops reaching it) and brought back when its checks
 * pass again.
 */
class ActiveHealthChecksTest {

  private Vertx vertx;
  private TestBackend a;
  private TestBackend b;
  private TestBackend c;
  private ProxyFixture proxy;
  private final AtomicBoolean bIsSick = new AtomicBoolean();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    a = TestBackend.start(vertx, "a");
    b = TestBackend.start(vertx, "b");
    c = TestBackend.start(vertx, "c");
    b.behave((request, bytes) -> {
      if (request.path().equals("/healthz") && bIsSick.get()) {
        request.response().setStatusCode(503).end("sick");
      } else {
        TestBackend.echo(request, bytes);
      }
    });
    proxy = ProxyFixture.start(map(
        "services", list(map("name", "api",
            "healthCheck", map("path", "/healthz", "interval", "500ms", "timeout", "500ms",
                "healthyThreshold", 2, "unhealthyThreshold", 2, "expectedStatuses", list("200-299")),
            "endpoints", list(map("id", "a", "url", a.url()), map("id", "b", "url", b.url()), map("id", "c", "url", c.url())))),
        "routes", list(map("pathPrefix", "/", "service", "api"))));
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private Set<String> servedBy(int requests) throws Exception {
    Set<String> endpoints = new HashSet<>();
    for (int i = 0; i < requests; i++) {
      HttpResponse<String> response = proxy.get("/work");
      assertThat(response.statusCode()).isEqualTo(200);
      endpoints.add(response.headers().firstValue("x-endpoint").orElseThrow());
    }
    return endpoints;
  }

  @Test
  void aFailingCheckTakesTheEndpointOutAndPassingChecksBringItBack() throws Exception {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    proxy.coordinator().vertx().eventBus().<JsonObject>consumer(ActiveHealthChecks.EVENTS, m -> events.add(m.body()));
    assertThat(servedBy(9)).containsExactlyInAnyOrder("a", "b", "c");

    // b's check starts failing: two failures in a row take it out.
    bIsSick.set(true);
    await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e -> !e.getBoolean("healthy")));
    assertThat(events.get(0).getString("endpoint")).isEqualTo("b");
    assertThat(events.get(0).getString("reason")).isEqualTo("status 503");
    // The balancer was refreshed with the transition: from now on nothing goes to b.
    assertThat(servedBy(12)).containsExactlyInAnyOrder("a", "c");

    // b recovers: two passed checks bring it back.
    bIsSick.set(false);
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 2);
    assertThat(events.get(1).getBoolean("healthy")).isTrue();
    assertThat(servedBy(9)).containsExactlyInAnyOrder("a", "b", "c");

    assertThat(proxy.control("/metrics").body())
        .contains("coordinator_health_transitions_total{to=\"unhealthy\"} 1.0")
        .contains("coordinator_health_transitions_total{to=\"healthy\"} 1.0");
  }

  @Test
  void aDeadEndpointFailsItsChecksByConnectionError() throws Exception {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    proxy.coordinator().vertx().eventBus().<JsonObject>consumer(ActiveHealthChecks.EVENTS, m -> events.add(m.body()));

    c.close();

    // (With checks every 500 ms and a 500 ms timeout, a check slowed by a busy machine could fail
    // too; the assertions name c's event, not the first one.)
    await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e -> e.getString("endpoint").equals("c")));
    assertThat(events).filteredOn(e -> e.getString("endpoint").equals("c")).first()
        .satisfies(e -> assertThat(e.getBoolean("healthy")).isFalse());
    assertThat(events).as("only c went down").allMatch(e -> e.getString("endpoint").equals("c"));
    assertThat(servedBy(12)).containsExactlyInAnyOrder("a", "b");
  }
}
