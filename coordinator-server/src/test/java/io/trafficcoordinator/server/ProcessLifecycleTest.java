package io.trafficcoordinator.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.testing.CoordinatorProcess;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged commands as a user runs them: start, refuse, serve, stop. */
class ProcessLifecycleTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  Path dir;

  @Test
  void aPortAlreadyInUseIsNamedInOneLineAndTheExitStatusIs1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Path config = dir.resolve("c.yaml");
      Files.writeString(config, "listeners:\n  data: {host: 127.0.0.1, port: " + taken.getLocalPort()
          + "}\n  control: {host: 127.0.0.1, port: 0}\n" + CoordinatorProcess.TEST_SECURITY_AND_STORE + "\n");
      try (CoordinatorProcess process = CoordinatorProcess.launch(List.of(), "run", "--config", config.toString())) {
        assertThat(process.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(process.outputLines()).contains("coordinator: cannot listen on 127.0.0.1:" + taken.getLocalPort()
            + " for the data listener: the port is already in use");
      }
    }
  }

  @Test
  void theDemoServesEveryStrategyAndStopsCleanly() throws Exception {
    // Sample endpoints on ports the OS picks and the store in a temporary folder: nothing of a test
    // lands under the working directory, and nothing an earlier run stored changes this one.
    try (CoordinatorProcess demo = CoordinatorProcess.launch(List.of(), "demo", "--data-port", "0", "--control-port", "0",
        "--rps", "0", "--endpoint-ports", "0", "--store", dir.resolve("demo.db").toString())) {
      demo.awaitReady(Duration.ofSeconds(60));
      Map<String, Integer> accounts = new TreeMap<>();
      Map<String, Integer> catalog = new TreeMap<>();
      for (int i = 0; i < 40; i++) {
        accounts.merge(endpointOf(demo, "/accounts/u" + i), 1, Integer::sum);
        catalog.merge(endpointOf(demo, "/catalog/items/" + i), 1, Integer::sum);
      }

      // round-robin with weights 3:1, exact over whole cycles.
      assertThat(accounts).isEqualTo(Map.of("accounts-1", 30, "accounts-2", 10));
      // least-latency keeps most traffic off the slow endpoint (about 80 ms against 5 ms).
      assertThat(catalog.getOrDefault("catalog-3", 0)).as("requests to the slow endpoint: %s", catalog).isLessThanOrEqualTo(6);
      assertThat(catalog.getOrDefault("catalog-1", 0) + catalog.getOrDefault("catalog-2", 0)).isGreaterThanOrEqualTo(34);
      assertThat(demo.output()).contains("curl -s 'http://127.0.0.1:" + demo.dataPort() + "/catalog/items/42'");

      // Callers in eu-west-1b are served by media-2, the endpoint in their zone.
      Map<String, Integer> media = new TreeMap<>();
      for (int i = 0; i < 20; i++) {
        media.merge(endpointOf(demo, "/media/videos/" + i, "eu-west-1b"), 1, Integer::sum);
      }
      assertThat(media).isEqualTo(Map.of("media-2", 20));
      // One request at a time: the cheap endpoint (20 ms) meets the 50 ms objective every time.
      Map<String, Integer> reports = new TreeMap<>();
      for (int i = 0; i < 10; i++) {
        reports.merge(endpointOf(demo, "/reports/daily", null), 1, Integer::sum);
      }
      assertThat(reports).isEqualTo(Map.of("reports-1", 10));
      // The other four strategies serve their services too.
      for (String service : List.of("search", "pricing", "sessions", "recommendations")) {
        for (int i = 0; i < 5; i++) {
          assertThat(endpointOf(demo, "/" + service + "/x", null)).startsWith(service + "-");
        }
      }

      // The printed admin token changes a strategy through the control API; system-status shows it.
      String admin = demo.outputLines().stream().filter(line -> line.contains("export ADMIN_TOKEN="))
          .map(line -> line.substring(line.indexOf('=') + 1).strip()).findFirst().orElseThrow();
      String api = "http://127.0.0.1:" + demo.controlPort() + "/api/v1/master-coordination";
      HttpResponse<String> change = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/configure-load-balancing"))
          .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"service\":\"catalog\",\"strategy\":\"round-robin\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(change.statusCode()).as(change.body()).isEqualTo(200);
      String status = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/system-status")).header("Authorization", "Bearer " + admin)
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(new JsonObject(status).getJsonArray("services").stream().map(JsonObject.class::cast)
          .filter(service -> service.getString("name").equals("catalog")).findFirst().orElseThrow()
          .getString("strategy")).isEqualTo("round-robin");

      demo.signal("TERM");
      assertThat(demo.awaitExit(Duration.ofSeconds(30))).isZero();
      assertThat(demo.output()).doesNotContain("LEAK:");
    }
  }

  private static String endpointOf(CoordinatorProcess demo, String path) throws Exception {
    return endpointOf(demo, path, null);
  }

  private static String endpointOf(CoordinatorProcess demo, String path, String zone) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.dataPort() + path))
        .timeout(Duration.ofSeconds(10));
    if (zone != null) {
      request.header("X-Client-Zone", zone);
    }
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    // sessions-2 answers 503 to a fifth of requests: that is its job in the demo.
    if (response.statusCode() == 503 && response.body().startsWith("sessions-2 is having a bad moment")) {
      return "sessions-2";
    }
    assertThat(response.statusCode()).isEqualTo(200);
    return new JsonObject(response.body()).getString("endpoint");
  }
}
