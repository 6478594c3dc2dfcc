package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Offered load at three times capacity: the endpoint serves 10 requests at a time, each after a
 * 100 ms timer (100 requests/s), and requests arrive at 300/s for 5 s (modest rates: the test JVM
 * runs Netty's leak detector at paranoid level, which makes every buffer expensive). With the adaptive
 * concurrency limit on, the excess is refused at once with 503 and Retry-After, admitted requests
 * all complete, and the endpoint's own queue never grows beyond what the limit lets through.
 *
 * <p>The load runs on real time, so the share that is shed depends on how fast the machine is;
 * only what holds on any machine is asserted. How the limit itself moves is tested on a fake clock
 * in core ({@code limit/}).
 */
class LoadSheddingTest {

  private static final int SLOTS = 10;
  private static final int MAX_LIMIT = 30;

  @Test
  void excessLoadIsShedNotQueued() throws Exception {
    Vertx vertx = Vertx.vertx();
    ArrayDeque<HttpServerRequest> waiting = new ArrayDeque<>();
    AtomicInteger busy = new AtomicInteger();
    AtomicInteger longestQueue = new AtomicInteger();
    try (TestBackend endpoint = TestBackend.start(vertx, "endpoint")) {
      // One event loop serves the endpoint, so these plain collections are touched by one thread.
      endpoint.behave((request, bytes) -> {
        if (busy.get() < SLOTS) {
          serve(vertx, request, busy, waiting);
        } else {
          waiting.addLast(request);
          longestQueue.accumulateAndGet(waiting.size(), Math::max);
        }
      });
      try (ProxyFixture proxy = ProxyFixture.start(map(
          "proxy", map("accessLog", false),
          "services", list(map("name", "api",
              "concurrencyLimit", map("initialLimit", 20, "minLimit", 5, "maxLimit", MAX_LIMIT),
              "endpoints", list(map("url", endpoint.url())))),
          "routes", list(map("pathPrefix", "/", "service", "api"))))) {
        Vertx clients = Vertx.vertx();
        HttpClient client = clients.httpClientBuilder()
            .with(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(proxy.port()).setKeepAlive(true))
            .with(new PoolOptions().setHttp1MaxSize(200).setMaxWaitQueueSize(-1))
            .build();
        int total = 1500;
        List<CompletableFuture<int[]>> responses = new ArrayList<>();
        AtomicInteger sent = new AtomicInteger();
        long start = System.nanoTime();
        CompletableFuture<Void> allSent = new CompletableFuture<>();
        // Open loop at a fixed rate: request i is due at i / 300 s, whatever the answers do. A
        // 1 ms timer sends whatever has come due (the way the demo's load generator does).
        clients.setPeriodic(1, timer -> {
          long due = Math.min(total, (System.nanoTime() - start) * 300 / 1_000_000_000L + 1);
          while (sent.get() < due) {
            int i = sent.getAndIncrement();
            CompletableFuture<int[]> answer = new CompletableFuture<>();
            responses.add(answer);
            client.request(HttpMethod.GET, "/w" + i)
                .compose(request -> request.send().compose(response -> response.body().map(body -> new int[] {
                    response.statusCode(),
                    body.toString().contains("overloaded") ? 1 : 0,
                    "1".equals(response.getHeader("retry-after")) ? 1 : 0})))
                .onComplete(done -> answer.complete(done.succeeded() ? done.result() : new int[] {-1, 0, 0}));
          }
          if (sent.get() >= total) {
            clients.cancelTimer(timer);
            allSent.complete(null);
          }
        });
        allSent.get(30, java.util.concurrent.TimeUnit.SECONDS);
        int ok = 0;
        int shed = 0;
        for (CompletableFuture<int[]> answer : responses) {
          int[] result = answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
          if (result[0] == 200) {
            ok++;
          } else {
            assertThat(result[0]).isEqualTo(503);
            assertThat(result[1]).as("problem type overloaded").isEqualTo(1);
            assertThat(result[2]).as("Retry-After: 1").isEqualTo(1);
            shed++;
          }
        }
        clients.close().toCompletionStage().toCompletableFuture().get();

        var limiter = proxy.coordinator().dataPlane().active().plan().service("api").limiter();
        // Every request got one of the two answers; with at most MAX_LIMIT in flight and a third of
        // the offer served, some are shed and some served whatever the machine's speed.
        assertThat(ok + shed).isEqualTo(total);
        assertThat(shed).as("shed").isPositive();
        assertThat(ok).as("served").isGreaterThanOrEqualTo(SLOTS);
        assertThat(limiter.inFlight()).as("every admitted request released its slot").isZero();
        // The limiter never lets more than MAX_LIMIT through, so the endpoint's queue is bounded.
        assertThat(longestQueue.get()).isLessThanOrEqualTo(MAX_LIMIT - SLOTS);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static void serve(Vertx vertx, HttpServerRequest request, AtomicInteger busy, ArrayDeque<HttpServerRequest> waiting) {
    busy.incrementAndGet();
    vertx.setTimer(100, t -> {
      request.response().end("ok");
      busy.decrementAndGet();
      HttpServerRequest next = waiting.pollFirst();
      if (next != null) {
        serve(vertx, next, busy, waiting);
      }
    });
  }
}
