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

/** A flapping endpoint opens its circuit, then recovers through half-open, behind the real proxy. */
class CircuitBreakerProxyTest {

  @Test
  void aFlappingEndpointOpensItsCircuitThenRecoversThroughHalfOpen() throws Exception {
    Vertx vertx = Vertx.vertx();
    AtomicBoolean flapping = new AtomicBoolean(true);
    try (TestBackend steady = TestBackend.start(vertx, "steady"); TestBackend flaky = TestBackend.start(vertx, "flaky")) {
      flaky.behave((request, bytes) -> {
        if (flapping.get()) {
          request.response().setStatusCode(500).end("flap");
        } else {
          TestBackend.echo(request, bytes);
        }
      });
      try (ProxyFixture proxy = ProxyFixture.start(map(
          "services", list(map("name", "api",
              "outlierDetection", map("enabled", false),
              "circuitBreaker", map("minimumCalls", 6, "failureRateThreshold", 50, "waitInOpen", "1s", "halfOpenTrials", 2),
              "endpoints", list(map("id", "steady", "url", steady.url()), map("id", "flaky", "url", flaky.url())))),
          "routes", list(map("pathPrefix", "/", "service", "api"))))) {
        List<String> events = new CopyOnWriteArrayList<>();
        proxy.coordinator().vertx().eventBus().<JsonObject>consumer(ActiveHealthChecks.EVENTS,
            m -> events.add(m.body().getString("type") + " " + m.body().getString("endpoint")));

        // Round robin: the flaky endpoint answers its sixth 500 at request 12; from then on its
        // circuit is open and every request goes to the steady one.
        for (int i = 0; i < 12; i++) {
          proxy.get("/x");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("circuit-opened flaky"));
        assertThat(servedBy(proxy, 10)).containsExactly("200 steady");
        assertThat(flaky.seen()).hasSize(6);

        // It recovers; after the wait, trials go through, succeed, and the circuit closes.
        flapping.set(false);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
          proxy.get("/x");
          return events.contains("circuit-closed flaky");
        });
        assertThat(events).containsExactly("circuit-opened flaky", "circuit-half-open flaky", "circuit-closed flaky");
        assertThat(servedBy(proxy, 10)).containsExactlyInAnyOrder("200 steady", "200 flaky");
        assertThat(proxy.control("/metrics").body()).contains("coordinator_circuit_transitions_total{to=\"open\"} 1.0");
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static Set<String> servedBy(ProxyFixture proxy, int requests) throws Exception {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < requests; i++) {
      var response = proxy.get("/x");
      seen.add(response.statusCode() + " " + response.headers().firstValue("x-endpoint").orElse("-"));
    }
    return seen;
  }
}
