package io.trafficcoordinator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.trafficcoordinator.testing.CoordinatorProcess;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a real coordinator process with requests in flight: health turns 503, the listener
 * stops accepting, an idle keep-alive connection is closed at once, every request in flight is
 * answered in full, and the process exits 0.
 */
class DrainTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final int IN_FLIGHT = 6;

  @TempDir
  Path dir;

  @Test
  void sigtermLetsRequestsInFlightFinishAndExitsZero() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestBackend slow = TestBackend.start(vertx, "slow")) {
      // Every answer takes 2 s: the drain must wait for them.
      slow.behave((request, bytes) -> vertx.setTimer(2000, t -> request.response().end("done " + request.path())));
      Path config = dir.resolve("coordinator.yaml");
      Files.writeString(config, String.join("\n",
          "listeners:",
          "  data: {host: 127.0.0.1, port: 0}",
          "  control: {host: 127.0.0.1, port: 0}",
          CoordinatorProcess.TEST_SECURITY_AND_STORE,
          "limits: {drainTimeout: 20s}",
          "services: [{name: slow, endpoints: [{url: '" + slow.url() + "'}]}]",
          "routes: [{pathPrefix: /, service: slow}]",
          ""));
      try (CoordinatorProcess coordinator = CoordinatorProcess.run(config)) {
        int port = coordinator.dataPort();
        // A keep-alive connection that has finished its request and sits idle.
        Socket idle = new Socket("127.0.0.1", port);
        idle.setSoTimeout(10_000);
        OutputStream idleOut = idle.getOutputStream();
        idleOut.write("GET /warm HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream idleIn = idle.getInputStream();
        readResponse(idleIn);

        // Requests in flight: the endpoint holds each for 2 s.
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
          inFlight.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/r" + i))
              .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.seen().size() >= IN_FLIGHT + 1);

        coordinator.signal("TERM");
        await().atMost(Duration.ofSeconds(5)).until(() -> coordinator.output().contains("draining:"));

        // Health answers 503 while draining; the control listener is still up.
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + coordinator.controlPort() + "/api/v1/master-coordination/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(503);
        // The idle keep-alive connection is closed without waiting for the others.
        assertThat(idleIn.read()).as("end of stream on the idle connection").isEqualTo(-1);
        // No new connections.
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);

        for (int i = 0; i < IN_FLIGHT; i++) {
          HttpResponse<String> response = inFlight.get(i).get();
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.body()).isEqualTo("done /r" + i);
        }
        assertThat(coordinator.awaitExit(Duration.ofSeconds(30))).isZero();
        assertThat(coordinator.output()).contains("drained in", "stopped").doesNotContain("LEAK:");
        idle.close();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  /** Reads one small response with a Content-Length body. */
  private static void readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the response head ended");
      }
      head.append((char) b);
    }
    String lengthLine = head.toString().lines().filter(l -> l.toLowerCase().startsWith("content-length:")).findFirst().orElseThrow();
    int length = Integer.parseInt(lengthLine.substring(lengthLine.indexOf(':') + 1).trim());
    in.readNBytes(length);
  }
}
