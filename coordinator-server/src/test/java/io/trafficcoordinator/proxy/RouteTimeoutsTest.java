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
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

  /**
   * A client that stops reading for longer than the idle timeout pauses the endpoint's side through
   * back-pressure: that pause is the proxy's own doing, not the endpoint's idleness, and is not cut.
   */
  @Test
  void aSlowClientIsNotMistakenForAnIdleEndpoint() throws Exception {
    int size = 32 << 20;
    backend.behave((request, bytes) -> TestBackend.stream(request.response(), size, written -> { }));
    try (Socket socket = slowClient()) {
      InputStream in = socket.getInputStream();
      long body = skipHead(in);
      byte[] buffer = new byte[64 << 10];
      body += in.read(buffer);
      // Stop reading for 1.2 s, three times the idle timeout.
      Thread.sleep(1200);
      while (body < size) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - body));
        if (n < 0) {
          break;
        }
        body += n;
      }
      assertThat(body).as("every body byte arrives").isEqualTo(size);
    } finally {
      backend.behave(TestBackend::echo);
    }
  }

  /**
   * A client that leaves mid-download while the endpoint's side is paused: the exchange ends, the
   * endpoint's connection is closed, and no buffer leaks (checked after the class).
   */
  @Test
  void aClientLeavingWhileTheEndpointIsPausedEndsTheExchangeCleanly() throws Exception {
    CompletableFuture<Void> endpointCut = new CompletableFuture<>();
    backend.behave((request, bytes) -> {
      request.connection().closeHandler(closed -> endpointCut.complete(null));
      TestBackend.stream(request.response(), 32 << 20, written -> { });
    });
    try (Socket socket = slowClient()) {
      skipHead(socket.getInputStream());
      socket.getInputStream().read(new byte[64 << 10]);
      Thread.sleep(300);
    } finally {
      endpointCut.get(10, TimeUnit.SECONDS);
      backend.behave(TestBackend::echo);
    }
  }

  private static Socket slowClient() throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(16 << 10);
    socket.setSoTimeout(30_000);
    socket.connect(new InetSocketAddress("127.0.0.1", proxy.port()));
    socket.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /** Reads up to the end of the response head; returns 0 (no body bytes consumed). */
  private static long skipHead(InputStream in) throws Exception {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IllegalStateException("closed in the response head");
      }
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return 0;
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
