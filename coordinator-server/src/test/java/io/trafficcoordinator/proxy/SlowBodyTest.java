package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.testing.OneEndpointProxy;
import io.trafficcoordinator.testing.RawHttp;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The slow-POST ("RUDY") client: a body trickled a byte at a time never trips the idle timeout.
 * Under the minimum body rate (here 100 bytes per 300 ms) or past the route's bodyTimeout it gets
 * 408 and is disconnected; a client that sends its body at any normal pace is not touched.
 */
class SlowBodyTest {

  private static OneEndpointProxy setup;
  private static OneEndpointProxy withDeadline;

  @BeforeAll
  static void start() throws Exception {
    setup = OneEndpointProxy.start(map("pathPrefix", "/"),
        map("limits", map("minBodyBytes", 100, "bodyRateWindow", "300ms")));
    withDeadline = OneEndpointProxy.start(map("pathPrefix", "/", "bodyTimeout", "700ms"),
        map("limits", map("minBodyBytes", 0)));
  }

  @AfterAll
  static void stop() throws Exception {
    setup.close();
    withDeadline.close();
  }

  @Test
  void aBodyTrickledUnderTheMinimumRateIs408AndClosed() throws Exception {
    try (RawHttp http = new RawHttp(setup.port())) {
      http.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n");
      AtomicBoolean sending = trickle(http, 1, 50);
      try {
        RawHttp.Response response = http.read();

        assertThat(response.status()).isEqualTo(408);
        assertThat(new JsonObject(response.body()).getString("type")).endsWith(":request-body-timeout");
        assertThat(new JsonObject(response.body()).getString("detail")).contains("arrives too slowly");
        assertThat(http.closedByPeer()).isTrue();
      } finally {
        sending.set(false);
      }
    }
  }

  @Test
  void aBodyPastTheRoutesBodyTimeoutIs408EvenAtAGoodRate() throws Exception {
    try (RawHttp http = new RawHttp(withDeadline.port())) {
      http.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
      AtomicBoolean sending = trickle(http, 500, 50);
      try {
        RawHttp.Response response = http.read();

        assertThat(response.status()).isEqualTo(408);
        assertThat(new JsonObject(response.body()).getString("detail")).contains("bodyTimeout of 700 ms");
        assertThat(http.closedByPeer()).isTrue();
      } finally {
        sending.set(false);
      }
    }
  }

  @Test
  void aBodySentAtANormalPaceIsServed() throws Exception {
    RawHttp.Response response = RawHttp.exchange(setup.port(),
        "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + "b".repeat(1000));

    assertThat(response.status()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getLong("bodyBytes")).isEqualTo(1000);
  }

  /** Sends {@code bytes} every {@code everyMillis} on a thread of its own until told to stop or the socket closes. */
  private static AtomicBoolean trickle(RawHttp http, int bytes, long everyMillis) {
    AtomicBoolean sending = new AtomicBoolean(true);
    Thread sender = new Thread(() -> {
      try {
        while (sending.get()) {
          http.send("x".repeat(bytes));
          Thread.sleep(everyMillis);
        }
      } catch (IOException | InterruptedException e) {
        // the proxy closed the connection: done
      }
    }, "trickle");
    sender.setDaemon(true);
    sender.start();
    return sending;
  }
}
