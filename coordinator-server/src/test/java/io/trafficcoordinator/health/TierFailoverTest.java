package io.trafficcoordinator.health;

import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Tier 0 fully down: once its checks have failed (the transition on the event bus marks the end of
 * the detection time the settings imply), traffic goes to tier 1; once they pass again, it returns.
 */
class TierFailoverTest {

  @Test
  void tierZeroDownMovesTrafficToTierOneAndBack() throws Exception {
    Vertx vertx = Vertx.vertx();
    AtomicBoolean primaryDown = new AtomicBoolean();
    try (TestBackend primary = TestBackend.start(vertx, "primary"); TestBackend standby = TestBackend.start(vertx, "standby")) {
      primary.behave((request, bytes) -> {
        if (primaryDown.get()) {
          request.response().setStatusCode(503).end("down");
        } else {
          TestBackend.echo(request, bytes);
        }
      });
      try (ProxyFixture proxy = ProxyFixture.start(map(
          "services", list(map("name", "api",
              "healthCheck", map("path", "/health", "interval", "500ms", "timeout", "500ms",
                  "healthyThreshold", 2, "unhealthyThreshold", 2),
              "outlierDetection", map("enabled", false),
              "endpoints", list(map("id", "primary", "url", primary.url(), "tier", 0),
                  map("id", "standby", "url", standby.url(), "tier", 1)))),
          "routes", list(map("pathPrefix", "/", "service", "api"))))) {
        List<JsonObject> events = new CopyOnWriteArrayList<>();
        proxy.coordinator().vertx().eventBus().<JsonObject>consumer(ActiveHealthChecks.EVENTS, m -> events.add(m.body()));
        assertThat(servedBy(proxy, 10)).containsExactly("primary");

        primaryDown.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
        assertThat(events.get(0).getString("endpoint")).isEqualTo("primary");
        assertThat(servedBy(proxy, 10)).containsExactly("standby");

        primaryDown.set(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 2);
        assertThat(events.get(1).getBoolean("healthy")).isTrue();
        assertThat(servedBy(proxy, 10)).containsExactly("primary");
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static Set<String> servedBy(ProxyFixture proxy, int requests) throws Exception {
    Set<String> endpoints = new HashSet<>();
    for (int i = 0; i < requests; i++) {
      var response = proxy.get("/work");
      endpoints.add(response.statusCode() + " " + response.headers().firstValue("x-endpoint").orElse("-"));
    }
    Set<String> names = new HashSet<>();
    for (String served : endpoints) {
      assertThat(served).startsWith("200 ");
      names.add(served.substring(4));
    }
    return names;
  }
}
