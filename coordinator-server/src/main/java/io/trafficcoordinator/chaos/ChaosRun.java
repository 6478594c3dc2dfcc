package io.trafficcoordinator.chaos;

import io.trafficcoordinator.balance.service.Eligibility;
import io.trafficcoordinator.chaos.FaultyEndpoint.Fault;
import io.trafficcoordinator.server.Coordinator;
import io.trafficcoordinator.server.CoordinatorOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One chaos run: a coordinator in this process in front of three loopback endpoints, open-loop GETs
 * at a fixed rate (each timed from its intended send time, so that a stalled proxy cannot hide its
 * delay by sending later), and the second endpoint broken in one way for the middle of the run,
 * then healthy again. What the clients saw, and how the endpoint was treated, is its {@link Result}.
 *
 * <pre>
 *   before              500 GETs one at a time: a cold JVM warms up
 *   0 .. warm-up        load, all healthy (not measured; the endpoints' recent latencies are learned)
 *   fault start .. end  the second endpoint broken
 *   end .. total        healthy again: how soon does it get its share back?
 * </pre>
 */
final class ChaosRun {

  /** What a run measured. */
  record Result(String strategy, Fault fault, boolean healthChecks, int requests, int errors, int overOneSecond,
      double p99Millis, double maxMillis, long triesInLastSecondOfFault, double shareBefore, double eligibleSeconds,
      double backSeconds, double shareBackSeconds) {}

  private static final long MS = 1_000_000L;

  private final String strategy;
  private final Fault fault;
  private final boolean healthChecks;
  private final int rate;
  private final long warmUpMillis;
  private final long faultMillis;
  private final long afterMillis;

  ChaosRun(String strategy, Fault fault, boolean healthChecks, int rate, long warmUpMillis, long faultMillis,
      long afterMillis) {
    this.strategy = strategy;
    this.fault = fault;
    this.healthChecks = healthChecks;
    this.rate = rate;
    this.warmUpMillis = warmUpMillis;
    this.faultMillis = faultMillis;
    this.afterMillis = afterMillis;
  }

  Result run() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      List<FaultyEndpoint> endpoints = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        FaultyEndpoint endpoint = new FaultyEndpoint(vertx, 2);
        endpoint.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        endpoints.add(endpoint);
      }
      Coordinator coordinator = Coordinator.start(config(endpoints), CoordinatorOptions.defaults())
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      try {
        return measure(vertx, coordinator, endpoints.get(1));
      } finally {
        coordinator.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private Map<String, Object> config(List<FaultyEndpoint> endpoints) {
    List<Object> list = new ArrayList<>();
    for (int i = 0; i < endpoints.size(); i++) {
      list.add(Map.of("id", "e" + (i + 1), "url", "http://127.0.0.1:" + endpoints.get(i).port()));
    }
    Map<String, Object> service = new LinkedHashMap<>();
    service.put("name", "api");
    service.put("strategy", strategy);
    service.put("endpoints", list);
    if (healthChecks) {
      service.put("healthCheck", Map.of("path", "/health", "interval", "5s"));
    }
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("listeners", Map.of("data", Map.of("host", "127.0.0.1", "port", 0),
        "control", Map.of("host", "127.0.0.1", "port", 0)));
    tree.put("proxy", Map.of("accessLog", Boolean.getBoolean("chaos.accessLog")));
    tree.put("store", Map.of("type", "memory"));
    // The control API is not used; it still needs a key, so a random one.
    byte[] secret = new byte[32];
    new java.security.SecureRandom().nextBytes(secret);
    tree.put("security", Map.of("jwt", Map.of("keys", List.of(Map.of("algorithm", "HS256",
        "secret", java.util.HexFormat.of().formatHex(secret))))));
    tree.put("services", List.of(service));
    tree.put("routes", List.of(Map.of("pathPrefix", "/", "service", "api")));
    return tree;
  }

  private Result measure(Vertx vertx, Coordinator coordinator, FaultyEndpoint broken) throws Exception {
    int port = coordinator.dataPort();
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setIdleTimeout(30),
        new PoolOptions().setHttp1MaxSize(1024).setMaxWaitQueueSize(-1));
    // A fresh JVM first, one request at a time: an open-loop burst into a cold process queues and
    // makes every endpoint look slow, which is a start-up, not the steady state this run is about.
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < 500; i++) {
      chain = chain.compose(ignored -> client.request(new RequestOptions().setHost("127.0.0.1").setPort(port)
          .setURI("/warm")).compose(request -> request.send()).compose(response -> response.body()).mapEmpty());
    }
    chain.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    long totalMillis = warmUpMillis + faultMillis + afterMillis;
    int count = (int) (rate * totalMillis / 1000);
    // Until a request ends it counts as failed and endlessly slow: one that never ends shows.
    AtomicLongArray latencies = new AtomicLongArray(count);
    AtomicIntegerArray ok = new AtomicIntegerArray(count);
    for (int i = 0; i < count; i++) {
      latencies.set(i, Long.MAX_VALUE);
    }
    AtomicInteger done = new AtomicInteger();
    long start = System.nanoTime();
    long periodNanos = 1_000_000_000L / rate;
    int[] next = {0};
    // Endpoint counts per 100 ms after recovery, to see when its share comes back.
    long[] receivedAt = new long[(int) (afterMillis / 100) + 2];
    long[] faultMarks = new long[2];
    vertx.setPeriodic(1, tick -> {
      long now = System.nanoTime();
      while (next[0] < count && start + next[0] * periodNanos <= now) {
        int n = next[0]++;
        long intended = start + n * periodNanos;
        client.request(new RequestOptions().setHost("127.0.0.1").setPort(port).setURI("/item/" + n))
            .compose(request -> request.send())
            .compose(response -> response.body().map(body -> response.statusCode() == 200 && body.length() == 1024))
            .onComplete(result -> {
              latencies.set(n, System.nanoTime() - intended);
              ok.set(n, result.succeeded() && result.result() ? 1 : 0);
              done.incrementAndGet();
            });
      }
      if (next[0] >= count) {
        vertx.cancelTimer(tick);
      }
    });
    sleepUntil(start, warmUpMillis - 3_000);
    long beforeFrom = broken.received();
    sleepUntil(start, warmUpMillis);
    // Its share of the requests in the 3 s before the fault: what "its share back" means for this strategy.
    double shareBefore = (broken.received() - beforeFrom) / (3.0 * rate);
    broken.breakDown(fault).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    sleepUntil(start, warmUpMillis + faultMillis - 1000);
    faultMarks[0] = broken.received();
    sleepUntil(start, warmUpMillis + faultMillis);
    faultMarks[1] = broken.received();
    broken.recover().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    long recoveredAt = System.nanoTime();
    AtomicLong eligibleAt = new AtomicLong(-1);
    long poll = vertx.setPeriodic(10, tick -> {
      if (eligibleAt.get() < 0 && isEligible(coordinator, "e2")) {
        eligibleAt.set(System.nanoTime());
      }
    });
    for (int i = 0; i < receivedAt.length; i++) {
      receivedAt[i] = broken.received();
      sleepUntil(start, warmUpMillis + faultMillis + (i + 1) * 100L);
    }
    vertx.cancelTimer(poll);
    long deadline = System.nanoTime() + 60_000 * MS;
    while (done.get() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    int from = (int) (rate * warmUpMillis / 1000);
    int errors = 0;
    int slow = 0;
    long[] measured = new long[count - from];
    for (int i = from; i < count; i++) {
      measured[i - from] = latencies.get(i);
      errors += ok.get(i) == 1 ? 0 : 1;
      slow += latencies.get(i) > 1_000 * MS ? 1 : 0;
    }
    Arrays.sort(measured);
    return new Result(strategy, fault, healthChecks, measured.length, errors, slow,
        measured[(int) Math.min(measured.length - 1, Math.ceil(0.99 * measured.length) - 1)] / 1e6,
        measured[measured.length - 1] / 1e6, faultMarks[1] - faultMarks[0], shareBefore,
        eligibleAt.get() < 0 ? Double.NaN : (eligibleAt.get() - recoveredAt) / 1e9, firstStep(receivedAt, 3),
        firstStep(receivedAt, Math.max(1, 0.75 * shareBefore * rate / 10)));
  }

  /** Whether the coordinator would pick {@code id} now: healthy, not ejected, not stalled, circuit not open. */
  private static boolean isEligible(Coordinator coordinator, String id) {
    var balancer = coordinator.dataPlane().active().plan().service("api").balancer();
    return Eligibility.of(balancer.endpoints(), coordinator.dataPlane().clock().nanoTime()).eligible().stream()
        .anyMatch(endpoint -> endpoint.id().equals(id));
  }

  /** Seconds after recovery until the first 100 ms step in which the endpoint received at least {@code requests}. */
  private static double firstStep(long[] receivedAt, double requests) {
    for (int i = 1; i < receivedAt.length; i++) {
      if (receivedAt[i] - receivedAt[i - 1] >= requests) {
        return i / 10.0;
      }
    }
    return Double.NaN;
  }

  private static void sleepUntil(long start, long millis) throws InterruptedException {
    long wait = start + millis * MS - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / MS, (int) (wait % MS));
    }
  }
}
