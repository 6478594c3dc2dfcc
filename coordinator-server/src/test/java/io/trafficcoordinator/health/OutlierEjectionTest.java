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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Passive ejection behind the real proxy: by failures in a row, and by success rate among peers. */
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

  /**
   * An endpoint whose requests fail but whose health checks pass (here: from the start; in life, a
   * restarted one) is ejected by its failures, and its next passing check ends the ejection, well
   * before the 30 s ejection time. With unejectOnHealthCheck: false it sits the ejection out.
   */
  @Test
  void aPassingHealthCheckEndsAnEjectionUnlessTurnedOff() throws Exception {
    for (boolean uneject : new boolean[] {true, false}) {
      Vertx vertx = Vertx.vertx();
      try (TestBackend a = TestBackend.start(vertx, "a"); TestBackend b = TestBackend.start(vertx, "b")) {
        b.behave((request, bytes) -> {
          if (request.path().equals("/health")) {
            request.response().end("ok");
          } else {
            request.response().setStatusCode(500).end("broken");
          }
        });
        try (ProxyFixture proxy = ProxyFixture.start(map(
            "services", list(map("name", "api", "endpoints", list(map("id", "a", "url", a.url()), map("id", "b", "url", b.url())),
                "healthCheck", map("path", "/health", "interval", "300ms", "timeout", "300ms"),
                "outlierDetection", map("unejectOnHealthCheck", uneject))),
            "routes", list(map("pathPrefix", "/", "service", "api", "retries", map("maxAttempts", 1)))))) {
          List<JsonObject> events = new CopyOnWriteArrayList<>();
          proxy.coordinator().vertx().eventBus().<JsonObject>consumer(ActiveHealthChecks.EVENTS, m -> events.add(m.body()));
          // b's fifth 500 in a row; the next pick that lands on it ejects it.
          for (int i = 0; i < 12; i++) {
            proxy.get("/x");
          }
          await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events)
              .extracting(e -> e.getString("type") + " " + e.getString("endpoint"))
              .as("uneject %s", uneject).contains("endpoint-ejected b"));

          if (uneject) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
              proxy.get("/y"); // a rebuild looks again: the ejection has ended
              assertThat(events).extracting(e -> e.getString("type") + " " + e.getString("endpoint"))
                  .contains("endpoint-restored b");
            });
          } else {
            Thread.sleep(2_000);
            for (int i = 0; i < 10; i++) {
              proxy.get("/y");
            }
            assertThat(events).extracting(e -> e.getString("type") + " " + e.getString("endpoint"))
                .doesNotContain("endpoint-restored b");
          }
        }
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get();
      }
    }
  }

  @Test
  void anEndpointFailingAQuarterOfItsRequestsIsEjectedBySuccessRate() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<TestBackend> endpoints = new ArrayList<>();
    try {
      for (String name : List.of("a", "b", "c", "d", "e")) {
        endpoints.add(TestBackend.start(vertx, name));
      }
      // e fails every fourth request: never five in a row, so only its success rate gives it away.
      AtomicInteger count = new AtomicInteger();
      endpoints.get(4).behave((request, bytes) -> {
        if (count.incrementAndGet() % 4 == 0) {
          request.response().setStatusCode(500).end("broken");
        } else {
          TestBackend.echo(request, bytes);
        }
      });
      List<Object> list = new ArrayList<>();
      endpoints.forEach(e -> list.add(map("id", e.name(), "url", e.url())));
      try (ProxyFixture proxy = ProxyFixture.start(map(
          "services", list(map("name", "api", "endpoints", list,
              "outlierDetection", map("interval", "1s", "successRate", map("requestVolume", 10)))),
          "routes", list(map("pathPrefix", "/", "service", "api"))))) {
        List<JsonObject> events = new CopyOnWriteArrayList<>();
        proxy.coordinator().vertx().eventBus().<JsonObject>consumer(ActiveHealthChecks.EVENTS, m -> events.add(m.body()));

        // Steady traffic until the sweep (every second, after a first interval of traffic) acts.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
          proxy.get("/x");
          return !events.isEmpty();
        });
        assertThat(events).extracting(e -> e.getString("type") + " " + e.getString("endpoint") + " " + e.getString("reason"))
            .containsExactly("endpoint-ejected e success-rate");
        int seenByE = endpoints.get(4).seen().size();
        for (int i = 0; i < 20; i++) {
          proxy.get("/x");
        }
        assertThat(endpoints.get(4).seen()).as("ejected: no more requests").hasSize(seenByE);
      }
    } finally {
      for (TestBackend endpoint : endpoints) {
        endpoint.close();
      }
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }
}
