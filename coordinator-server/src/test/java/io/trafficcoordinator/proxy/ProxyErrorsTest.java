package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.RawHttp;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every error the proxy answers itself: exact status, problem type and connection handling. */
class ProxyErrorsTest {

  private static Vertx vertx;
  private static TestBackend backend;
  private static NetServer hangsUp;
  private static NetServer switches;
  private static HttpServer untrustedTls;
  private static ProxyFixture proxy;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    backend = TestBackend.start(vertx, "backend");
    // An endpoint that accepts, reads the request, and closes without answering.
    hangsUp = vertx.createNetServer().connectHandler(socket -> socket.handler(bytes -> socket.close()));
    hangsUp.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    // An endpoint that answers an ordinary request with 101.
    switches = vertx.createNetServer().connectHandler(socket -> socket.handler(bytes ->
        socket.write("HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: anything\r\n\r\n")));
    switches.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    // An https endpoint whose certificate no trust store knows.
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    untrustedTls = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions()))
        .requestHandler(request -> request.response().end("secret"));
    untrustedTls.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    int refusing;
    try (ServerSocket probe = new ServerSocket(0)) {
      refusing = probe.getLocalPort();
    }
    proxy = ProxyFixture.start(map(
        "limits", map("maxHeaderBytes", "4KiB", "maxBodyBytes", "1KiB"),
        "services", list(
            map("name", "ok", "endpoints", list(map("url", backend.url()))),
            map("name", "empty", "endpoints", list()),
            map("name", "refusing", "endpoints", list(map("url", "http://127.0.0.1:" + refusing))),
            map("name", "hangs-up", "endpoints", list(map("url", "http://127.0.0.1:" + hangsUp.actualPort()))),
            map("name", "tls", "endpoints", list(map("url", "https://localhost:" + untrustedTls.actualPort()))),
            map("name", "switches", "endpoints", list(map("url", "http://127.0.0.1:" + switches.actualPort())))),
        "routes", list(
            map("pathPrefix", "/ok", "service", "ok", "timeout", "300ms"),
            map("pathPrefix", "/empty", "service", "empty"),
            map("pathPrefix", "/refusing", "service", "refusing"),
            map("pathPrefix", "/hangs-up", "service", "hangs-up"),
            map("pathPrefix", "/tls", "service", "tls"),
            map("pathPrefix", "/switches", "service", "switches"))));
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static void assertProblem(RawHttp.Response response, int status, String type) {
    assertThat(response.status()).isEqualTo(status);
    assertThat(response.header("content-type")).isEqualTo("application/problem+json");
    JsonObject problem = new JsonObject(response.body());
    assertThat(problem.getString("type")).isEqualTo("urn:traffic-coordinator:problem:" + type);
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("correlationId")).isEqualTo(response.header("x-request-id")).isNotBlank();
  }

  @Test
  void noRouteIs404AndTheConnectionStaysUsable() throws Exception {
    try (RawHttp http = new RawHttp(proxy.port())) {
      http.send("GET /nowhere HTTP/1.1\r\nHost: x\r\nX-Request-Id: r-404\r\n\r\n");
      RawHttp.Response missing = http.read();
      assertProblem(missing, 404, "no-route");
      assertThat(missing.header("x-request-id")).isEqualTo("r-404");

      http.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(http.read().status()).isEqualTo(200);
    }
  }

  @Test
  void serviceWithoutEndpointsIs503() throws Exception {
    assertProblem(RawHttp.exchange(proxy.port(), "GET /empty HTTP/1.1\r\nHost: x\r\n\r\n"), 503, "no-endpoint");
  }

  @Test
  void refusedConnectionIs502() throws Exception {
    assertProblem(RawHttp.exchange(proxy.port(), "GET /refusing HTTP/1.1\r\nHost: x\r\n\r\n"), 502, "upstream-connect-failed");
  }

  @Test
  void endpointClosingBeforeAnsweringIs502() throws Exception {
    assertProblem(RawHttp.exchange(proxy.port(), "GET /hangs-up HTTP/1.1\r\nHost: x\r\n\r\n"), 502, "upstream-failed");
  }

  @Test
  void anInterimStatusGivenAsTheFinalAnswerIs502() throws Exception {
    assertProblem(RawHttp.exchange(proxy.port(), "GET /switches HTTP/1.1\r\nHost: x\r\n\r\n"), 502, "upstream-failed");
  }

  @Test
  void anHttpsEndpointWithAnUntrustedCertificateIs502() throws Exception {
    RawHttp.Response response = RawHttp.exchange(proxy.port(), "GET /tls HTTP/1.1\r\nHost: x\r\n\r\n");

    assertProblem(response, 502, "upstream-connect-failed");
    assertThat(new JsonObject(response.body()).getString("detail")).startsWith("TLS handshake with https://localhost:")
        .containsIgnoringCase("certification path");
  }

  @Test
  void noResponseHeadersWithinTheRouteTimeoutIs504AndThatConnectionIsNotReused() throws Exception {
    backend.behaveRaw(request -> { });
    try {
      int connectionsBefore = backend.connections();
      assertProblem(RawHttp.exchange(proxy.port(), "GET /ok/slow HTTP/1.1\r\nHost: x\r\n\r\n"), 504, "upstream-timeout");

      backend.behave(TestBackend::echo);
      assertThat(RawHttp.exchange(proxy.port(), "GET /ok/next HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(200);
      // The timed-out connection was reset, so the next request needed a new one.
      assertThat(backend.connections()).isGreaterThan(connectionsBefore);
    } finally {
      backend.behave(TestBackend::echo);
    }
  }

  @Test
  void headerSectionOverTheLimitIs431AndCloses() throws Exception {
    try (RawHttp http = new RawHttp(proxy.port())) {
      http.send("GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(5000) + "\r\n\r\n");
      assertProblem(http.read(), 431, "headers-too-large");
      assertThat(http.closedByPeer()).isTrue();
    }
  }

  @Test
  void requestLineOverTheLimitIs414() throws Exception {
    assertProblem(RawHttp.exchange(proxy.port(), "GET /ok/" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
        414, "uri-too-long");
  }

  @Test
  void declaredBodyOverTheLimitIs413BeforeAnythingIsForwarded() throws Exception {
    int seenBefore = backend.seen().size();
    try (RawHttp http = new RawHttp(proxy.port())) {
      http.send("POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n" + "a".repeat(2000));
      assertProblem(http.read(), 413, "body-too-large");
      assertThat(http.closedByPeer()).isTrue();
    }
    assertThat(backend.seen()).hasSize(seenBefore);
  }

  @Test
  void chunkedBodyGrowingOverTheLimitIs413AndTheUpstreamRequestIsAborted() throws Exception {
    int seenBefore = backend.seen().size();
    try (RawHttp http = new RawHttp(proxy.port())) {
      http.send("POST /ok/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (int i = 0; i < 3; i++) {
        http.send("200\r\n" + "b".repeat(512) + "\r\n");
      }
      assertProblem(http.read(), 413, "body-too-large");
      assertThat(http.closedByPeer()).isTrue();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> backend.seen().size() > seenBefore
        && backend.seen().get(seenBefore).bodyBytes().isDone());
    assertThat(backend.seen().get(seenBefore).bodyBytes()).as("the endpoint never sees a complete body").isCompletedExceptionally();
  }
}
