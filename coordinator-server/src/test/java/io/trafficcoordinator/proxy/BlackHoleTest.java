package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trafficcoordinator.endpoint.EndpointStats;
import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.RawEndpoint.Ending;
import io.trafficcoordinator.testing.RawEndpoint;
import io.trafficcoordinator.testing.RawHttp;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One endpoint of three becomes a black hole (it accepts connections and requests and answers
 * none) under open-loop load: it is found stalled in well under a second, the GETs waiting on it
 * are sent to the others, no client waits a second or sees an error, a POST is never sent twice,
 * and once it answers again its health checks bring it back within about two seconds.
 */
class BlackHoleTest {

  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

  private Vertx vertx;
  private HttpClient client;
  private RawEndpoint hole;
  /** Another black hole, alone in its service and never health-checked, so that it counts only proxied requests. */
  private RawEndpoint orderHole;
  private TestBackend a;
  private TestBackend c;
  private ProxyFixture proxy;

  /** One request's end as the client saw it. */
  private record Outcome(int status, long millis) {}

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
    hole = RawEndpoint.start();
    hole.answerWith(OK);
    orderHole = RawEndpoint.start();
    a = TestBackend.start(vertx, "a");
    c = TestBackend.start(vertx, "c");
    proxy = ProxyFixture.start(map(
        "proxy", map("accessLog", false),
        "services", list(
            map("name", "api", "strategy", "round-robin",
                "healthCheck", map("path", "/health", "interval", "5s"),
                "endpoints", list(map("id", "a", "url", a.url()), map("id", "hole", "url", hole.url()),
                    map("id", "c", "url", c.url()))),
            map("name", "orders", "endpoints", list(map("id", "order-hole", "url", orderHole.url())))),
        "routes", list(
            map("pathPrefix", "/api", "service", "api"),
            map("pathPrefix", "/orders", "service", "orders", "timeout", "1s"))));
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    hole.close();
    orderHole.close();
    a.close();
    c.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private EndpointStats holeStats() {
    return proxy.coordinator().dataPlane().active().plan().service("api").balancer().endpoints().endpoints().stream()
        .filter(e -> e.id().equals("hole")).findFirst().orElseThrow().stats();
  }

  /** Sends {@code count} GETs to /api, one every {@code periodMillis} whatever the answers take. */
  private List<Outcome> load(int count, long periodMillis) throws Exception {
    List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    Promise<Void> done = Promise.promise();
    AtomicInteger sent = new AtomicInteger();
    vertx.setPeriodic(periodMillis, timer -> {
      int n = sent.getAndIncrement();
      if (n >= count) {
        vertx.cancelTimer(timer);
        return;
      }
      long start = System.nanoTime();
      client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(proxy.port())
              .setURI("/api/item/" + n))
          .compose(request -> request.send())
          .compose(response -> response.body().map(body -> response.statusCode()))
          .onComplete(result -> {
            outcomes.add(new Outcome(result.succeeded() ? result.result() : -1, (System.nanoTime() - start) / 1_000_000L));
            if (outcomes.size() == count) {
              done.tryComplete();
            }
          });
    });
    done.future().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return outcomes;
  }

  /**
   * Sends {@code count} GETs one after the other: the endpoints' usual latency is learned at a pace
   * a cold JVM keeps up with (an open-loop burst at start-up queues, and teaches latencies of
   * hundreds of milliseconds that the minute-long histograms would then remember).
   */
  private void warmUp(int count) throws Exception {
    io.vertx.core.Future<Void> chain = io.vertx.core.Future.succeededFuture();
    for (int i = 0; i < count; i++) {
      chain = chain.compose(ignored -> client.request(new RequestOptions().setHost("127.0.0.1").setPort(proxy.port())
              .setURI("/api/warm"))
          .compose(request -> request.send())
          .compose(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body().mapEmpty();
          }));
    }
    chain.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void aBlackHoleCostsGetClientsNothingAndComesBackWithinTwoSecondsOfAnswering() throws Exception {
    warmUp(240);
    hole.answerWith(OK, Ending.NEVER_ANSWER);
    List<Outcome> duringFault = load(300, 10);
    assertThat(duringFault).allSatisfy(outcome -> assertThat(outcome.status()).isEqualTo(200));
    assertThat(duringFault.stream().mapToLong(Outcome::millis).max().orElseThrow()).isLessThan(1_000);
    // Found within the fault and kept out: by the end, ejected or stalled, and hardly any tries in its last second.
    assertThat(holeStats().isEjected(proxy.coordinator().dataPlane().clock().nanoTime())
        || holeStats().answerWatch().isStalled()).isTrue();
    String metrics = proxy.control("/metrics").body();
    assertThat(metrics).contains("coordinator_endpoint_stalls_total{event=\"stalled\"}");
    assertThat(metrics).contains("coordinator_retries_total{cause=\"stalled\",route=\"/api\",service=\"api\"}");

    hole.answerWith(OK);
    long backAt = System.nanoTime();
    long successesBefore = holeStats().totalSuccesses();
    vertx.setPeriodic(10, t -> client.request(new RequestOptions().setHost("127.0.0.1").setPort(proxy.port())
        .setURI("/api/again")).compose(r -> r.send()).compose(r -> r.body()));
    await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(20))
        .until(() -> holeStats().totalSuccesses() - successesBefore >= 5);
    long backMillis = (System.nanoTime() - backAt) / 1_000_000L;
    assertThat(backMillis).isLessThan(2_000);
  }

  /** A POST that a black hole swallowed may have done its work there: it times out, and is never sent again. */
  @Test
  void aPostToABlackHoleIsNeverSentTwice() throws Exception {
    orderHole.answerWith(OK, Ending.NEVER_ANSWER);
    RawHttp.Response response = RawHttp.exchange(proxy.port(),
        "POST /orders/new HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab");
    assertThat(response.status()).isEqualTo(504);
    assertThat(orderHole.requests()).isEqualTo(1);
  }
}
