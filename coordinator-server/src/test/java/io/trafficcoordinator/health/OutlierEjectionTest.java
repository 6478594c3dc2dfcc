package io.trafficcoordinator.health;

import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** An endpoint answering 500 to everything is ejected after five in a row; the others carry on. */
class OutlierEjectionTest {

  @Test
  void anEndpointFailingEveryRequestIsEjectedAfterFiveInARow() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestBackend a = TestBackend.start(vertx, "a"); TestBackend b = TestBackend.start(vertx, "b");
        TestBackend c = TestBackend.start(vertx, "c")) {
      b.behave((request, bytes) -> request.response().setStatusCode(500).end("broken"));
      try (ProxyFixture proxy = ProxyFixture.start(map(
          "services", list(map("name", "api", "endpoints", list(
              map("id", "a", "url", a.url()), map("id", "b", "url", b.url()), map("id", "c", "url", c.url())))),
          "routes", list(map("pathPrefix", "/", "service", "api"))))) {
        List<JsonObject> events = new CopyOnWriteArrayList<>();
        proxy.coordinator().vertx().eventBus().<JsonObject>consumer(ActiveHealthChecks.EVENTS, m -> events.add(m.body()));
        Map<Integer, Integer> statuses = new HashMap<>();

        for (int i = 0; i < 60; i++) {
          HttpResponse<String> response = proxy.get("/x");
          statuses.merge(response.statusCode(), 1, Integer::sum);
        }

        // Round robin sends b every third request until its fifth 500; then nothing more.
        assertThat(statuses).isEqualTo(Map.of(200, 55, 500, 5));
        assertThat(b.seen()).hasSize(5);
        assertThat(events).extracting(e -> e.getString("type") + " " + e.getString("endpoint")).containsExactly("endpoint-ejected b");
        assertThat(proxy.control("/metrics").body()).contains("coordinator_outlier_ejections_total{event=\"ejected\"} 1.0");
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }
}
