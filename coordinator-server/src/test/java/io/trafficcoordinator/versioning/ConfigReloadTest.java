package io.trafficcoordinator.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trafficcoordinator.testing.CoordinatorProcess;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP to a real coordinator process while requests keep flowing: a valid file is applied
 * without a single failed request; an invalid one is refused with its problems logged and the
 * running configuration stays.
 */
class ConfigReloadTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  Path dir;

  private static String yaml(TestBackend first, TestBackend second, boolean withSecondRoute) {
    return String.join("\n",
        "listeners:",
        "  data: {host: 127.0.0.1, port: 0}",
        "  control: {host: 127.0.0.1, port: 0}",
          CoordinatorProcess.TEST_SECURITY_AND_STORE,
        "proxy: {accessLog: false}",
        "services:",
        "  - name: first",
        "    endpoints: [{url: '" + first.url() + "'}]",
        "  - name: second",
        "    strategy: least-latency",
        "    endpoints: [{url: '" + second.url() + "'}]",
        "routes:",
        "  - {pathPrefix: /first, service: first}",
        withSecondRoute ? "  - {pathPrefix: /second, service: second}" : "",
        "");
  }

  private static int status(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static long configVersion(CoordinatorProcess process) throws Exception {
    String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + process.controlPort()
        + "/api/v1/master-coordination/health")).build(), HttpResponse.BodyHandlers.ofString()).body();
    return new JsonObject(body).getLong("configVersion");
  }

  @Test
  void validReloadAppliesWithoutDroppingARequestAndInvalidReloadIsRefused() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestBackend first = TestBackend.start(vertx, "first"); TestBackend second = TestBackend.start(vertx, "second")) {
      Path config = dir.resolve("coordinator.yaml");
      Files.writeString(config, yaml(first, second, false));
      try (CoordinatorProcess coordinator = CoordinatorProcess.run(config)) {
        int port = coordinator.dataPort();
        assertThat(status(port, "/second/x")).isEqualTo(404);

        // Steady traffic on /first for the whole test; every answer must be 200.
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
          while (running.get()) {
            try {
              if (status(port, "/first/x") == 200) {
                served.incrementAndGet();
              } else {
                failed.incrementAndGet();
              }
            } catch (Exception e) {
              failed.incrementAndGet();
            }
          }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> served.get() > 50);

        // A valid change: a new route appears, version 1 -> 2.
        Files.writeString(config, yaml(first, second, true));
        coordinator.signal("HUP");
        await().atMost(Duration.ofSeconds(20)).until(() -> status(port, "/second/x") == 200);
        assertThat(configVersion(coordinator)).isEqualTo(2);

        // An invalid change is refused; version 2 keeps serving.
        Files.writeString(config, yaml(first, second, true).replace("least-latency", "fastest"));
        coordinator.signal("HUP");
        await().atMost(Duration.ofSeconds(20)).until(() -> coordinator.output().contains("configuration reload refused"));
        assertThat(coordinator.output()).contains("services[1].strategy: unknown strategy 'fastest'");
        assertThat(status(port, "/second/x")).isEqualTo(200);
        assertThat(configVersion(coordinator)).isEqualTo(2);

        int before = served.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> served.get() > before + 50);
        running.set(false);
        load.get();
        assertThat(failed.get()).as("requests failed during reloads (of %d served)", served.get()).isZero();
        coordinator.stop();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }
}
