package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trafficcoordinator.testing.OneEndpointProxy;
import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.RawHttp;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Framing that could smuggle a request past the proxy is refused, the connection closed, and
 * nothing complete reaches an endpoint (RFC 9112 §6, REFERENCES.md).
 */
class MalformedFramingTest {

  private static OneEndpointProxy setup;
  private static TestBackend backend;
  private static ProxyFixture proxy;

  @BeforeAll
  static void start() throws Exception {
    setup = OneEndpointProxy.start(map("pathPrefix", "/"), map());
    backend = setup.backend();
    proxy = setup.proxy();
  }

  @AfterAll
  static void stop() throws Exception {
    setup.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "differing Content-Length values | Content-Length: 5\\r\\nContent-Length: 6 | 400 | malformed-request",
      "whitespace before a colon       | Content-Length : 5                     | 400 | malformed-request",
      "last coding not chunked         | Transfer-Encoding: gzip                | 400 | malformed-request",
      "chunked not last                | Transfer-Encoding: chunked, gzip       | 400 | malformed-request",
      "coding other than chunked       | Transfer-Encoding: gzip, chunked       | 501 | unsupported-transfer-coding",
      "non-numeric Content-Length      | Content-Length: 5x                     | 400 | malformed-request",
  })
  void isRefusedClosedAndNeverForwarded(String name, String framing, int status, String type) throws Exception {
    int seenBefore = backend.seen().size();
    // A second request hides in the body: if the framing were misread it would reach the endpoint.
    String smuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    try (RawHttp http = new RawHttp(proxy.port())) {
      http.send("POST /upload HTTP/1.1\r\nHost: x\r\n" + framing.replace("\\r\\n", "\r\n") + "\r\n\r\nhello" + smuggled);
      RawHttp.Response response = http.read();
      assertThat(response.status()).isEqualTo(status);
      assertThat(new JsonObject(response.body()).getString("type")).isEqualTo("urn:traffic-coordinator:problem:" + type);
      assertThat(http.closedByPeer()).as("connection closed").isTrue();
    }
    assertThat(backend.seen()).hasSize(seenBefore);
  }

  /**
   * Content-Length with Transfer-Encoding, in either order, with a well-formed chunked body, and any
   * Transfer-Encoding in HTTP/1.0 (RFC 9112 §6.1: its framing is faulty): refused and closed,
   * nothing forwarded. Netty before 4.2.10 would quietly drop the Content-Length and forward the
   * chunked request; StrictRequestDecoder refused it then, Netty's RFC 9112 mode does now.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "HTTP/1.1, length first | HTTP/1.1 | Content-Length: 5\\r\\nTransfer-Encoding: chunked | Content-Length and Transfer-Encoding must not both be present",
      "HTTP/1.1, coding first | HTTP/1.1 | Transfer-Encoding: chunked\\r\\nContent-Length: 5 | Content-Length and Transfer-Encoding must not both be present",
      "HTTP/1.0               | HTTP/1.0 | Content-Length: 5\\r\\nTransfer-Encoding: chunked | Transfer-Encoding is not allowed in an HTTP/1.0 request",
      "HTTP/1.0, coding alone | HTTP/1.0 | Transfer-Encoding: chunked                       | Transfer-Encoding is not allowed in an HTTP/1.0 request",
  })
  void contentLengthWithTransferEncodingIsRefused(String name, String version, String framing, String detail)
      throws Exception {
    int seenBefore = backend.seen().size();
    try (RawHttp http = new RawHttp(proxy.port())) {
      http.send("POST /upload " + version + "\r\nHost: x\r\n" + framing.replace("\\r\\n", "\r\n")
          + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
      RawHttp.Response response = http.read();

      assertThat(response.status()).isEqualTo(400);
      assertThat(new JsonObject(response.body()).getString("detail")).isEqualTo(detail);
      assertThat(http.closedByPeer()).isTrue();
    }
    assertThat(backend.seen()).hasSize(seenBefore);
  }

  @Test
  void invalidChunkMidStreamAbortsTheUpstreamRequestWhichIsNeverReused() throws Exception {
    int seenBefore = backend.seen().size();
    int connectionsBefore = backend.connections();
    try (RawHttp http = new RawHttp(proxy.port())) {
      http.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
      // The request is on its way to the endpoint before the bad chunk arrives.
      await().atMost(Duration.ofSeconds(10)).until(() -> backend.seen().size() > seenBefore);
      http.send("zz\r\nnot a chunk\r\n");

      RawHttp.Response response = http.read();
      assertThat(response.status()).isEqualTo(400);
      assertThat(new JsonObject(response.body()).getString("type")).isEqualTo("urn:traffic-coordinator:problem:malformed-request");
      assertThat(http.closedByPeer()).isTrue();
    }
    TestBackend.Seen upload = backend.seen().get(seenBefore);
    await().atMost(Duration.ofSeconds(10)).until(() -> upload.bodyBytes().isDone());
    assertThat(upload.bodyBytes()).as("the endpoint never sees a complete body").isCompletedExceptionally();

    assertThat(RawHttp.exchange(proxy.port(), "GET /after HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(200);
    assertThat(backend.connections()).as("the aborted connection was not reused").isEqualTo(connectionsBefore + 2);
  }
}
