package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.at;
import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries behind the real proxy: which failures are retried, where to, and with what body. */
class RetriesTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  /** One service over {@code endpoints} in round robin, passive ejection and breakers off; one route "/" with {@code retries}. */
  private static Map<String, Object> config(Map<String, Object> retries, TestBackend... endpoints) {
    List<Object> list = new ArrayList<>();
    for (TestBackend endpoint : endpoints) {
      list.add(map("id", endpoint.name(), "url", endpoint.url()));
    }
    return config(retries, list);
  }

  /**
   * As above, over any endpoints. The retry budget is raised to 100 % of requests: these tests
   * send a few requests a second, where the default floor would refuse retries they are about.
   */
  private static Map<String, Object> config(Map<String, Object> retries, List<Object> endpoints) {
    Map<String, Object> settings = retries == null ? map() : retries;
    settings.putIfAbsent("budget", map("percent", 100));
    Map<String, Object> route = map("pathPrefix", "/", "service", "api", "retries", settings);
    return map(
        "services", list(map("name", "api", "outlierDetection", map("enabled", false),
            "circuitBreaker", map("enabled", false), "endpoints", endpoints)),
        "routes", list(route));
  }

  private static HttpResponse<String> send(ProxyFixture proxy, String method, int bodyBytes, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(proxy.url("/x"))).timeout(Duration.ofSeconds(20))
        .method(method, bodyBytes == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(new byte[bodyBytes]));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String servedBy(HttpResponse<String> response) {
    return response.statusCode() + " " + response.headers().firstValue("x-endpoint").orElse("-");
  }

  @Test
  void aGatewayErrorIsRetriedOnAnEndpointNotYetTried() throws Exception {
    try (TestBackend a = TestBackend.start(vertx, "a"); TestBackend b = TestBackend.start(vertx, "b");
        TestBackend c = TestBackend.start(vertx, "c")) {
      a.failWith(503);
      try (ProxyFixture proxy = ProxyFixture.start(config(null, a, b, c))) {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          answers.add(servedBy(send(proxy, "GET", 0)));
        }

        // Every request that round robin sent to a first is retried once, on b or c (a retry's
        // pick moves the cursor too, so a gets more than a third of first tries).
        assertThat(answers).allSatisfy(answer -> assertThat(answer).isIn("200 b", "200 c"));
        assertThat(b.seen().size() + c.seen().size()).isEqualTo(30);
        assertThat(a.seen()).isNotEmpty();
        assertThat(proxy.control("/metrics").body()).contains(
            "coordinator_retries_total{cause=\"status\",route=\"/\",service=\"api\"} " + a.seen().size() + ".0");
      }
    }
  }

  @Test
  void whenNoTryIsLeftTheLastAnswerIsTheClients() throws Exception {
    try (TestBackend only = TestBackend.start(vertx, "only")) {
      only.failWith(503);
      try (ProxyFixture proxy = ProxyFixture.start(config(map("maxAttempts", 3, "backoff", map("base", "1ms", "max", "1ms")), only))) {
        HttpResponse<String> response = send(proxy, "GET", 0);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("fault 503");
        assertThat(only.seen()).hasSize(3);
      }
    }
  }

  @Test
  void aRequestThatMayHaveReachedItsEndpointIsRetriedOnlyWhenIdempotent() throws Exception {
    try (TestBackend resetting = TestBackend.start(vertx, "resetting")) {
      resetting.resetConnections();
      try (ProxyFixture proxy = ProxyFixture.start(config(null, resetting))) {
        // POST: the endpoint read it before the connection dropped; sending it again could repeat
        // its effect, so the client gets the 502.
        assertThat(send(proxy, "POST", 100).statusCode()).isEqualTo(502);
        assertThat(resetting.seen()).hasSize(1);

        // GET, and POST with an Idempotency-Key: tried twice.
        assertThat(send(proxy, "GET", 0).statusCode()).isEqualTo(502);
        assertThat(resetting.seen()).hasSize(3);
        assertThat(send(proxy, "POST", 100, "Idempotency-Key", "k-1").statusCode()).isEqualTo(502);
        assertThat(resetting.seen()).hasSize(5);
      }
    }
  }

  @Test
  void anyRequestIsRetriedWhenItsEndpointCouldNotBeReached() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    try (TestBackend alive = TestBackend.start(vertx, "alive")) {
      List<Object> endpoints = list(map("id", "dead", "url", "http://127.0.0.1:" + deadPort), map("id", "alive", "url", alive.url()));
      try (ProxyFixture proxy = ProxyFixture.start(config(null, endpoints))) {
        for (int i = 0; i < 4; i++) {
          HttpResponse<String> response = send(proxy, "POST", 5000);
          assertThat(servedBy(response)).isEqualTo("200 alive");
          assertThat(response.body()).contains("\"bodyBytes\":5000");
        }
        assertThat(alive.seen()).hasSize(4);
      }
    }
  }

  @Test
  void aBodyIsReplayedInFullToTheNextEndpointUpToTheReplayLimit() throws Exception {
    try (TestBackend resetting = TestBackend.start(vertx, "resetting"); TestBackend good = TestBackend.start(vertx, "good")) {
      resetting.resetConnections();
      try (ProxyFixture proxy = ProxyFixture.start(config(null, resetting, good))) {
        for (int i = 0; i < 4; i++) {
          HttpResponse<String> response = send(proxy, "PUT", 10_000);
          assertThat(servedBy(response)).isEqualTo("200 good");
          assertThat(response.body()).contains("\"bodyBytes\":10000");
        }
        assertThat(good.seen()).hasSize(4);
        assertThat(resetting.seen()).isNotEmpty()
            .allSatisfy(seen -> assertThat(seen.bodyBytes()).isCompletedWithValue(10_000L));
      }
      // Bodies over the limit are not kept, so a PUT that reached the resetting endpoint is not retried.
      try (ProxyFixture proxy = ProxyFixture.start(config(map("replayBodyLimit", "1KiB"), resetting, good))) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          statuses.add(send(proxy, "PUT", 10_000).statusCode());
        }
        assertThat(statuses).containsExactlyInAnyOrder(200, 200, 502, 502);
      }
    }
  }

  @Test
  void aTryThatOutlivesItsPerTryTimeoutIsRetriedWithinTheRouteTimeout() throws Exception {
    try (TestBackend stalled = TestBackend.start(vertx, "stalled"); TestBackend good = TestBackend.start(vertx, "good")) {
      stalled.stall();
      try (ProxyFixture proxy = ProxyFixture.start(config(map("perTryTimeout", "200ms"), stalled, good))) {
        for (int i = 0; i < 4; i++) {
          assertThat(servedBy(send(proxy, "GET", 0))).isEqualTo("200 good");
        }
        assertThat(good.seen()).hasSize(4);
        assertThat(stalled.seen()).isNotEmpty();
      }
    }
  }

  @Test
  void theRouteTimeoutBoundsAllTriesTogether() throws Exception {
    try (TestBackend first = TestBackend.start(vertx, "first"); TestBackend second = TestBackend.start(vertx, "second")) {
      first.stall();
      second.stall();
      Map<String, Object> config = config(map("perTryTimeout", "400ms"), first, second);
      at(config, "routes", 0).put("timeout", "600ms");
      try (ProxyFixture proxy = ProxyFixture.start(config)) {
        HttpResponse<String> response = send(proxy, "GET", 0);

        // The first try gets its 400 ms, the retry only what is left of the 600 ms.
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).contains("within the route's timeout of 600 ms");
        assertThat(first.seen().size() + second.seen().size()).isEqualTo(2);
        // Only the try that had its whole per-try time counts as a failure of its endpoint.
        assertThat(proxy.control("/metrics").body()).containsPattern("coordinator_endpoint_requests_total\\{endpoint=\"(first|second)\",outcome=\"failure\",service=\"api\"\\} 1.0")
            .containsPattern("coordinator_endpoint_requests_total\\{endpoint=\"(first|second)\",outcome=\"failure\",service=\"api\"\\} 0.0");
      }
    }
  }
}
