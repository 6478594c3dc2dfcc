package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.trafficcoordinator.testing.OneEndpointProxy;
import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.RawHttp;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A route's timeout covers the wait for response headers only, and its idle timeout the pauses
 * between body chunks: a download that keeps moving outlives both, a stalled one is cut.
 */
class RouteTimeoutsTest {

  private static OneEndpointProxy setup;
  private static TestBackend backend;
  private static ProxyFixture proxy;

  @BeforeAll
  static void start() throws Exception {
    setup = OneEndpointProxy.start(map("pathPrefix", "/", "timeout", "400ms", "idleTimeout", "400ms"), map());
    backend = setup.backend();
    proxy = setup.proxy();
  }

  @AfterAll
  static void stop() throws Exception {
    setup.close();
  }

  /** Sends {@code chunks} chunks of "x", one every {@code everyMillis}, then ends (or stalls forever). */
  private static void trickle(HttpServerResponse response, int chunks, long everyMillis, boolean end) {
    response.setChunked(true).write("x");
    long[] sent = {1};
    Vertx vertx = setup.vertx();
    vertx.setPeriodic(everyMillis, timer -> {
      if (sent[0] >= chunks) {
        vertx.cancelTimer(timer);
        if (end) {
          response.end();
        }
        return;
      }
      response.write("x");
      sent[0]++;
    });
  }

  @Test
  void aDownloadThatKeepsMovingOutlivesBothTimeouts() throws Exception {
    // 12 chunks, 100 ms apart: 1.1 s in all, each pause well within the 400 ms idle timeout.
    backend.behave((request, bytes) -> trickle(request.response(), 12, 100, true));

    RawHttp.Response response = RawHttp.exchange(proxy.port(), "GET /long HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("x".repeat(12));
  }

  @Test
  void aDownloadThatStallsIsCutAndTheClientSeesAnIncompleteBody() throws Exception {
    backend.behave((request, bytes) -> trickle(request.response(), 2, 100, false));

    try (RawHttp http = new RawHttp(proxy.port())) {
      http.send("GET /stall HTTP/1.1\r\nHost: x\r\n\r\n");
      Throwable cut = catchThrowable(http::read);

      assertThat(cut).as("the chunked body never ends: the connection closes mid-body").isInstanceOf(IOException.class);
    }
  }
}
