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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Switching a service's strategy and endpoints through the control API while traffic flows loses
 * no request: each change is one atomic plan swap, requests in flight finish on the plan they
 * started with, and an endpoint leaving the service is drained, not cut.
 */
class ReconfigurationUnderLoadTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void strategyAndEndpointChangesUnderSteadyLoadLoseNoRequest() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestBackend a = TestBackend.start(vertx, "a"); TestBackend b = TestBackend.start(vertx, "b");
        TestBackend c = TestBackend.start(vertx, "c")) {
      // Answers take 20 ms, so that requests are in flight when each change lands.
      for (TestBackend endpoint : List.of(a, b, c)) {
        endpoint.behave((request, bytes) -> vertx.setTimer(20, t -> TestBackend.echo(request, bytes)));
      }
      try (ProxyFixture proxy = ProxyFixture.start(map(
          "services", list(map("name", "api", "endpoints", list(map("id", "a", "url", a.url()), map("id", "b", "url", b.url())))),
          "routes", list(map("pathPrefix", "/", "service", "api")),
          "controlApi", map("rateLimits", map("configure-load-balancing", map("perMinute", 6000, "burst", 100)))))) {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        Set<String> failures = ConcurrentHashMap.newKeySet();
        Set<String> servedBy = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
          clients.add(CompletableFuture.runAsync(() -> {
            while (running.get()) {
              try {
                HttpResponse<String> response = proxy.get("/x");
                if (response.statusCode() == 200) {
                  served.incrementAndGet();
                  servedBy.add(response.headers().firstValue("x-endpoint").orElse("?"));
                } else {
                  failures.add(response.statusCode() + " " + response.body());
                }
              } catch (Exception e) {
                failures.add(e.toString());
              }
            }
          }));
        }
        String admin = "Bearer " + Jwts.hs256(Jwts.header("HS256"), Jwts.claims("alice", 300, "admin"),
            TEST_SECRET.getBytes(StandardCharsets.UTF_8));
        String[] changes = {
            "{\"service\":\"api\",\"strategy\":\"least-latency\"}",
            "{\"service\":\"api\",\"endpoints\":[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\",\"url\":\"" + c.url() + "\"}]}",
            "{\"service\":\"api\",\"strategy\":\"adaptive-intelligent\"}",
            "{\"service\":\"api\",\"endpoints\":[{\"id\":\"b\"},{\"id\":\"c\"}]}",
            "{\"service\":\"api\",\"strategy\":\"weighted-performance\",\"weights\":{\"c\":3}}",
            "{\"service\":\"api\",\"endpoints\":[{\"id\":\"c\"},{\"id\":\"a\",\"url\":\"" + a.url() + "\"}]}",
            "{\"service\":\"api\",\"strategy\":\"round-robin\"}"};
        for (String change : changes) {
          int before = served.get();
          await().atMost(Duration.ofSeconds(20)).until(() -> served.get() >= before + 20);
          HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.controlPort()
              + "/api/v1/master-coordination/configure-load-balancing")).header("Authorization", admin)
              .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(change)).build(),
              HttpResponse.BodyHandlers.ofString());
          assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
        int before = served.get();
        await().atMost(Duration.ofSeconds(20)).until(() -> served.get() >= before + 20);
        running.set(false);
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get();
        LoggerFactory.getLogger(ReconfigurationUnderLoadTest.class).info("{} requests served across {} changes, {} failed",
            served.get(), changes.length, failures.size());
        assertThat(failures).isEmpty();
        assertThat(servedBy).containsExactlyInAnyOrder("a", "b", "c");
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }
}
