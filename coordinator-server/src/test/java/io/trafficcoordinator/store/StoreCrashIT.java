package io.trafficcoordinator.store;

import static io.trafficcoordinator.config.ConfigTrees.TEST_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trafficcoordinator.testing.CoordinatorProcess;
import io.trafficcoordinator.testing.Jwts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the store, on the packaged jar: a real coordinator takes a burst of configuration
 * changes from two clients and is killed with SIGKILL in the middle of it. After a restart on the
 * same store, every change that was acknowledged is there, versions are contiguous from 1, the
 * version in force is whole (it holds a change that was sent: its own, or the one whose
 * acknowledgement the kill cut off), and the store opened cleanly (its integrity check runs at
 * start). Five rounds, each killed at a different moment.
 */
class StoreCrashIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final String BASE = "/api/v1/master-coordination";
  private static final String ADMIN = "Bearer " + Jwts.hs256(Jwts.header("HS256"), Jwts.claims("crash-test", 3600, "admin"),
      TEST_SECRET.getBytes(StandardCharsets.UTF_8));

  @TempDir
  Path dir;

  private Path config() throws Exception {
    Path config = dir.resolve("coordinator.yaml");
    Files.writeString(config, String.join("\n",
        "listeners:",
        "  data: {host: 127.0.0.1, port: 0}",
        "  control: {host: 127.0.0.1, port: 0}",
        "security: {jwt: {keys: [{algorithm: HS256, secret: '" + TEST_SECRET + "'}]}}",
        "store: {type: sqlite, path: '" + dir.resolve("data/coordinator.db") + "'}",
        "controlApi: {rateLimits: {configure-load-balancing: {perMinute: 100000, burst: 100000}}}",
        "services: [{name: api, endpoints: [{id: only, url: 'http://127.0.0.1:9'}]}]",
        "routes: [{pathPrefix: /, service: api}]",
        ""));
    return config;
  }

  private static CoordinatorProcess start(Path config) throws Exception {
    CoordinatorProcess process = CoordinatorProcess.launchJar("run", "--config", config.toString());
    process.awaitReady(Duration.ofSeconds(60));
    return process;
  }

  private static HttpResponse<String> call(CoordinatorProcess process, String method, String path, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + process.controlPort() + BASE + path))
        .timeout(Duration.ofSeconds(10)).header("Authorization", ADMIN);
    if (json != null) {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyAcknowledgedChangeSurvivesSigkillAndVersionsStayContiguous() throws Exception {
    Path config = config();
    Random random = new Random(20261127);
    // change number sent -> the version that acknowledged it (absent: sent, but the answer never came)
    Map<Integer, Long> acknowledged = new ConcurrentHashMap<>();
    List<Integer> sent = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger nextWeight = new AtomicInteger(1);
    for (int round = 0; round < 5; round++) {
      CoordinatorProcess process = start(config);
      int ackedBefore = acknowledged.size();
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 2; c++) {
        Thread client = new Thread(() -> {
          while (running.get()) {
            int weight = nextWeight.getAndIncrement();
            sent.add(weight);
            try {
              // A unique zone per change: the version in force says which change it holds.
              HttpResponse<String> answer = call(process, "POST", "/configure-load-balancing",
                  "{\"service\":\"api\",\"endpoints\":[{\"id\":\"only\",\"zone\":\"z" + weight + "\"}]}");
              if (answer.statusCode() == 200 && new JsonObject(answer.body()).getBoolean("applied")) {
                acknowledged.put(weight, new JsonObject(answer.body()).getLong("version"));
              }
            } catch (Exception e) {
              return; // the process is gone
            }
          }
        });
        client.start();
        clients.add(client);
      }
      try {
        // Killed once this round has had changes acknowledged (a slow machine takes longer to get
        // there), then at a random moment in the stream of changes that follows.
        await().atMost(Duration.ofSeconds(60))
            .until(() -> acknowledged.size() >= ackedBefore + 3);
        Thread.sleep(random.nextInt(500));
      } finally {
        process.kill();
        running.set(false);
        for (Thread client : clients) {
          client.join(15_000);
        }
        process.close();
      }
    }

    CoordinatorProcess restarted = start(config);
    try {
      List<Long> versions = new ArrayList<>();
      String cursor = null;
      do {
        JsonObject page = new JsonObject(call(restarted, "GET", "/config/history?limit=500"
            + (cursor == null ? "" : "&cursor=" + cursor), null).body());
        page.getJsonArray("items").forEach(item -> versions.add(((JsonObject) item).getLong("version")));
        cursor = page.getString("nextCursor");
      } while (cursor != null);

      long newest = versions.get(0);
      List<Long> expected = new ArrayList<>();
      for (long v = newest; v >= 1; v--) {
        expected.add(v);
      }
      assertThat(versions).as("contiguous from 1").isEqualTo(expected);
      assertThat(acknowledged).as("changes were acknowledged before each kill").hasSizeGreaterThan(10);
      assertThat(newest).as("every acknowledged version is there")
          .isGreaterThanOrEqualTo(acknowledged.values().stream().mapToLong(Long::longValue).max().orElseThrow());

      JsonObject current = new JsonObject(call(restarted, "GET", "/config", null).body());
      assertThat(current.getLong("version")).isEqualTo(newest);
      JsonArray endpoints = current.getJsonObject("configuration").getJsonArray("services").getJsonObject(0).getJsonArray("endpoints");
      int weight = Integer.parseInt(endpoints.getJsonObject(0).getString("zone").substring(1));
      assertThat(sent).as("the version in force holds a change that was sent").contains(weight);
      Long ackedAs = acknowledged.get(weight);
      if (ackedAs != null) {
        assertThat(ackedAs).isLessThanOrEqualTo(newest);
      }
      assertThat(restarted.output()).contains("configuration version " + newest + " from the store");
      org.slf4j.LoggerFactory.getLogger(StoreCrashIT.class).info("5 SIGKILLs: {} changes sent, {} acknowledged, newest"
          + " version {}, version in force holds change {} ({})", sent.size(), acknowledged.size(), newest, weight,
          ackedAs == null ? "its acknowledgement was cut off by the kill" : "acknowledged as version " + ackedAs);
    } finally {
      restarted.stop();
      restarted.close();
    }
  }
}
