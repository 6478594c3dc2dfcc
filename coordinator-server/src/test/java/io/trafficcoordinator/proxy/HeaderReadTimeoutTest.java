package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.testing.OneEndpointProxy;
import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.RawHttp;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A client that trickles its headers (slowloris) is answered 408 and cut off; a prompt one is not. */
class HeaderReadTimeoutTest {

  private static OneEndpointProxy setup;
  private static TestBackend backend;
  private static ProxyFixture proxy;

  @BeforeAll
  static void start() throws Exception {
    setup = OneEndpointProxy.start(map("pathPrefix", "/"), map("limits", map("headerReadTimeout", "300ms", "clientIdleTimeout", "30s")));
    backend = setup.backend();
    proxy = setup.proxy();
  }

  @AfterAll
  static void stop() throws Exception {
    setup.close();
  }

  @Test
  void trickledHeadersAreCutOffWith408() throws Exception {
    int seenBefore = backend.seen().size();
    try (RawHttp http = new RawHttp(proxy.port())) {
      http.send("GET /slow HTTP/1.1\r\n");
      // Keep sending a byte now and then, well within any idle timeout, never finishing the head.
      RawHttp.Response response = null;
      for (int i = 0; i < 40 && http.socket().getInputStream().available() == 0; i++) {
        try {
          http.send("X");
        } catch (java.io.IOException closed) {
          break;
        }
        Thread.sleep(50);
      }
      response = http.read();
      assertThat(response.status()).isEqualTo(408);
      assertThat(new JsonObject(response.body()).getString("type")).isEqualTo("urn:traffic-coordinator:problem:header-read-timeout");
      assertThat(http.closedByPeer()).isTrue();
    }
    assertThat(backend.seen()).hasSize(seenBefore);
  }

  @Test
  void aBodyThatTakesLongerThanTheHeaderTimeoutIsNotCut() throws Exception {
    try (RawHttp http = new RawHttp(proxy.port())) {
      http.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
      // Eight chunks 100 ms apart: the body takes more than twice the header-read timeout.
      for (int i = 0; i < 8; i++) {
        http.send("4\r\nbody\r\n");
        Thread.sleep(100);
      }
      http.send("0\r\n\r\n");

      RawHttp.Response response = http.read();
      assertThat(response.status()).isEqualTo(200);
      assertThat(new JsonObject(response.body()).getLong("bodyBytes")).isEqualTo(32);
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsNotMistakenForASlowHeader() throws Exception {
    try (RawHttp http = new RawHttp(proxy.port())) {
      http.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(http.read().status()).isEqualTo(200);
      // Idle for longer than the header-read timeout: the clock only runs once a request starts.
      Thread.sleep(600);
      http.send("GET /two HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(http.read().status()).isEqualTo(200);
    }
  }
}
