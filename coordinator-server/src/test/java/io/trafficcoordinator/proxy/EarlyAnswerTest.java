package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trafficcoordinator.testing.OneEndpointProxy;
import io.trafficcoordinator.testing.RawHttp;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Answers that do not fit the plain request-then-response pattern: an endpoint that answers before
 * reading the body, an HTTP/1.0 client, a Connection header naming Content-Length.
 */
class EarlyAnswerTest {

  private static OneEndpointProxy setup;
  private static TestBackend backend;

  @BeforeAll
  static void start() throws Exception {
    setup = OneEndpointProxy.start(map("pathPrefix", "/"), map());
    backend = setup.backend();
  }

  @AfterAll
  static void stop() throws Exception {
    setup.close();
  }

  /**
   * The endpoint refuses a large upload at once (as a 401 would), while most of the body is still
   * to come. That connection holds half a request: reusing it would let the next request be read as
   * the rest of the body. It must be closed, and the client told the connection ends.
   */
  @Test
  void anEndpointAnsweringBeforeTheBodyEndsNeverHasThatConnectionReused() throws Exception {
    backend.behaveRaw(request -> request.response().setStatusCode(401).end("no"));
    int connectionsBefore;
    try (RawHttp http = new RawHttp(setup.port())) {
      connectionsBefore = backend.connections();
      http.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + "a".repeat(10));
      RawHttp.Response response = http.read();

      assertThat(response.status()).isEqualTo(401);
      assertThat(response.body()).isEqualTo("no");
      assertThat(response.header("connection")).isEqualTo("close");
      assertThat(http.closedByPeer()).isTrue();
    } finally {
      backend.behave(TestBackend::echo);
    }

    RawHttp.Response next = RawHttp.exchange(setup.port(), "GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(next.status()).isEqualTo(200);
    assertThat(new JsonObject(next.body()).getString("uri")).isEqualTo("/after");
    assertThat(backend.connections()).as("a fresh connection carried the next request").isGreaterThan(connectionsBefore);
  }

  /**
   * A client pipelines a second request with a body behind one the endpoint holds, then hangs up.
   * The second request's buffers are parked inside the HTTP server while the first is in progress;
   * they must be released when the connection closes (the class-level leak check fails otherwise),
   * the held request upstream is given up, the second never reaches the endpoint, and the proxy
   * serves the next client as usual.
   */
  @Test
  void aClientThatPipelinesAndHangsUpLeavesNothingBehind() throws Exception {
    ConcurrentLinkedQueue<HttpServerRequest> held = new ConcurrentLinkedQueue<>();
    AtomicBoolean upstreamGivenUp = new AtomicBoolean();
    backend.behaveRaw(request -> {
      held.add(request);
      request.connection().closeHandler(closed -> upstreamGivenUp.set(true));
    });
    try {
      try (RawHttp http = new RawHttp(setup.port())) {
        http.send("GET /held HTTP/1.1\r\nHost: x\r\n\r\n"
            + "POST /second HTTP/1.1\r\nHost: x\r\nContent-Length: 65536\r\n\r\n" + "p".repeat(65536));
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
      }

      await().atMost(Duration.ofSeconds(10)).untilTrue(upstreamGivenUp);
      await().atMost(Duration.ofSeconds(10))
          .until(() -> setup.proxy().coordinator().dataPlane().connections().open() == 0);
      assertThat(held).extracting(HttpServerRequest::path).as("the pipelined POST never went upstream")
          .containsExactly("/held");
    } finally {
      // Should the proxy not have given the held request up, it is ended here so nothing leaks.
      held.forEach(request -> request.response().reset());
      backend.behave(TestBackend::echo);
    }

    RawHttp.Response next = RawHttp.exchange(setup.port(), "GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(next.status()).isEqualTo(200);
    assertThat(new JsonObject(next.body()).getString("uri")).isEqualTo("/after");
  }

  @Test
  void anHttp10ClientGetsAnUnframedBodyEndedByClose() throws Exception {
    backend.behave((request, bytes) -> request.response().setChunked(true).write("part one, ").onSuccess(v -> request.response().end("part two")));
    try (RawHttp http = new RawHttp(setup.port())) {
      http.send("GET /old HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n");
      RawHttp.Response response = http.read();

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("part one, part two");
    } finally {
      backend.behave(TestBackend::echo);
    }
  }

  @Test
  void aConnectionHeaderCannotStripTheRequestsContentLength() throws Exception {
    RawHttp.Response response = RawHttp.exchange(setup.port(),
        "POST /framed HTTP/1.1\r\nHost: x\r\nConnection: content-length\r\nContent-Length: 5\r\n\r\nhello");

    assertThat(response.status()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getLong("bodyBytes")).isEqualTo(5);
  }
}
