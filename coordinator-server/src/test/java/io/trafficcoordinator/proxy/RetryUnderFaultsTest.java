package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries under steady load while endpoints fail: what the client sees when an endpoint dies, and
 * that the retry budget bounds the load an outage sends to the endpoints. Load is open-loop: one
 * request per tick of a Vert.x timer, whatever the answers take.
 */
class RetryUnderFaultsTest {

  private static final Logger LOG = LoggerFactory.getLogger(RetryUnderFaultsTest.class);

  private Vertx vertx;
  private HttpClient client;

  /** How each request of a run ended, as the client saw it. */
  private static final class Outcomes {
    final AtomicInteger ok = new AtomicInteger();
    /** An error status, or the connection failed before the response headers. */
    final AtomicInteger failedBeforeResponse = new AtomicInteger();
    /** The response had started streaming when the connection failed. */
    final AtomicInteger failedMidResponse = new AtomicInteger();
    final List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());

    int total() {
      return ok.get() + failedBeforeResponse.get() + failedMidResponse.get();
    }
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(16));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static Map<String, Object> service(List<Object> endpoints, boolean passiveChecks) {
    return map("name", "api",
        "outlierDetection", map("enabled", passiveChecks),
        "circuitBreaker", map("enabled", passiveChecks),
        "endpoints", endpoints);
  }

  /**
   * Sends {@code count} GETs, one every {@code periodMillis}; {@code beforeSending} runs on the
   * timer's thread before request n is sent. Completes when every request has ended.
   */
  private Outcomes load(ProxyFixture proxy, int count, long periodMillis, IntConsumer beforeSending) throws Exception {
    Outcomes outcomes = new Outcomes();
    Promise<Void> done = Promise.promise();
    AtomicInteger sent = new AtomicInteger();
    vertx.setPeriodic(periodMillis, timer -> {
      int n = sent.getAndIncrement();
      if (n >= count) {
        vertx.cancelTimer(timer);
        return;
      }
      beforeSending.accept(n);
      boolean[] headersSeen = new boolean[1];
      client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(proxy.port()).setURI("/item/" + n))
          .compose(request -> request.send())
          .compose(response -> {
            headersSeen[0] = true;
            int status = response.statusCode();
            return response.body().map(body -> status);
          })
          .onComplete(result -> {
            if (result.succeeded()) {
              outcomes.statuses.add(result.result());
              (result.result() == 200 ? outcomes.ok : outcomes.failedBeforeResponse).incrementAndGet();
            } else {
              (headersSeen[0] ? outcomes.failedMidResponse : outcomes.failedBeforeResponse).incrementAndGet();
            }
            if (outcomes.total() == count) {
              done.tryComplete();
            }
          });
    });
    done.future().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return outcomes;
  }

  /**
   * Three endpoints under 200 GETs a second; after 100 requests one is killed (its listener closed
   * and its connections dropped, between responses since each answer is written at once). With
   * retries on, no request whose response had not started fails; with retries off, the requests
   * that meet the dead endpoint before passive checks eject it fail. Both counts are logged.
   */
  private Outcomes killOneOfThree(Map<String, Object> retries) throws Exception {
    try (TestBackend a = TestBackend.start(vertx, "a"); TestBackend b = TestBackend.start(vertx, "b");
        TestBackend c = TestBackend.start(vertx, "c")) {
      List<Object> endpoints = list(map("id", "a", "url", a.url()), map("id", "b", "url", b.url()), map("id", "c", "url", c.url()));
      try (ProxyFixture proxy = ProxyFixture.start(map(
          "services", list(service(endpoints, true)),
          "routes", list(map("pathPrefix", "/", "service", "api", "retries", retries))))) {
        return load(proxy, 300, 5, n -> {
          if (n == 100) {
            c.kill();
          }
        });
      }
    }
  }

  @Test
  void aKilledEndpointCostsTheClientsNothingWithRetriesOn() throws Exception {
    Outcomes withRetries = killOneOfThree(map());
    Outcomes withoutRetries = killOneOfThree(map("maxAttempts", 1));
    LOG.info("one of three endpoints killed under 200 GET/s: with retries {} failed before the response, {} mid-response;"
            + " without retries {} failed before the response, {} mid-response",
        withRetries.failedBeforeResponse, withRetries.failedMidResponse,
        withoutRetries.failedBeforeResponse, withoutRetries.failedMidResponse);

    assertThat(withRetries.failedBeforeResponse).hasValue(0);
    assertThat(withRetries.ok.get() + withRetries.failedMidResponse.get()).isEqualTo(300);
    // Without retries the first request to meet the closed port already fails.
    assertThat(withoutRetries.failedBeforeResponse.get()).isPositive();
  }

  @Test
  void theRetryBudgetBoundsTheLoadOfAnOutage() throws Exception {
    try (TestBackend a = TestBackend.start(vertx, "a"); TestBackend b = TestBackend.start(vertx, "b");
        TestBackend c = TestBackend.start(vertx, "c")) {
      for (TestBackend endpoint : List.of(a, b, c)) {
        endpoint.failWith(503);
      }
      List<Object> endpoints = list(map("id", "a", "url", a.url()), map("id", "b", "url", b.url()), map("id", "c", "url", c.url()));
      // Passive checks off: nothing but the budget stands between the outage and the endpoints.
      try (ProxyFixture proxy = ProxyFixture.start(map(
          "services", list(service(endpoints, false)),
          "routes", list(map("pathPrefix", "/", "service", "api", "retries", map(
              "maxAttempts", 3, "backoff", map("base", "1ms", "max", "5ms"),
              "budget", map("percent", 20, "window", "10s", "minPerSecond", 3))))))) {
        Outcomes outcomes = load(proxy, 300, 10, n -> { });
        int attempts = a.seen().size() + b.seen().size() + c.seen().size();
        LOG.info("all endpoints answering 503 at 100 requests/s: {} client requests, {} upstream attempts ({}x)",
            300, attempts, attempts / 300.0);

        assertThat(outcomes.statuses).hasSize(300).containsOnly(503);
        // 20 % of 300 requests is 60 retries; the floor (3/s over a ~3 s run) is below that.
        assertThat(attempts).isGreaterThan(300).isLessThanOrEqualTo(375);
        assertThat(proxy.control("/metrics").body()).containsPattern("coordinator_retries_refused_total\\{.*reason=\"budget\".*\\} [1-9]");
      }
    }
  }
}
