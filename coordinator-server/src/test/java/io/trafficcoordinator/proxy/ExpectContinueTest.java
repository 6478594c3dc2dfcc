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

/** {@code Expect: 100-continue}, as curl sends for large uploads, answered by the proxy itself. */
class ExpectContinueTest {

  private static OneEndpointProxy setup;
  private static TestBackend backend;
  private static ProxyFixture proxy;

  @BeforeAll
  static void start() throws Exception {
    setup = OneEndpointProxy.start(map("pathPrefix", "/upload"), map("limits", map("maxBodyBytes", "1MiB")));
    backend = setup.backend();
    proxy = setup.proxy();
  }

  @AfterAll
  static void stop() throws Exception {
    setup.close();
  }

  @Test
  void continueIsSentOnceAnEndpointIsReadyAndTheBodyThenStreamsThrough() throws Exception {
    try (RawHttp http = new RawHttp(proxy.port())) {
      http.send("PUT /upload/file HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\nExpect: 100-continue\r\n\r\n");

      assertThat(http.read().status()).isEqualTo(100);
      http.send("z".repeat(10_000));
      RawHttp.Response response = http.read();

      assertThat(response.status()).isEqualTo(200);
      JsonObject echo = new JsonObject(response.body());
      assertThat(echo.getLong("bodyBytes")).isEqualTo(10_000);
      assertThat(echo.getJsonObject("headers").containsKey("expect")).as("Expect is not forwarded").isFalse();
    }
  }

  @Test
  void aRefusedRequestGetsItsFinalAnswerInsteadOfContinue() throws Exception {
    int seenBefore = backend.seen().size();
    try (RawHttp http = new RawHttp(proxy.port())) {
      http.send("PUT /upload/file HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n");

      RawHttp.Response response = http.read();
      assertThat(response.status()).isEqualTo(413);
      assertThat(http.closedByPeer()).isTrue();
    }
    assertThat(backend.seen()).hasSize(seenBefore);
  }
}
