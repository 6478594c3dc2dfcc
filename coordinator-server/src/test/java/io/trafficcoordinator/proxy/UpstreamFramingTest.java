package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.RawEndpoint;
import io.trafficcoordinator.testing.RawHttp;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An endpoint whose response framing cannot be trusted: the client gets 502 (the response had not
 * started), the connection to the endpoint is closed, and the next request goes over a new one.
 * A proxy that reused it would read the rest of the bad response as the answer to someone else.
 */
class UpstreamFramingTest {

  private static RawEndpoint endpoint;
  private static ProxyFixture proxy;

  @BeforeAll
  static void start() throws Exception {
    endpoint = RawEndpoint.start();
    proxy = ProxyFixture.start(map(
        "proxy", map("accessLog", false),
        "services", list(map("name", "api", "endpoints", list(map("url", endpoint.url())))),
        "routes", list(map("pathPrefix", "/", "service", "api", "retries", map("maxAttempts", 1)))));
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    endpoint.close();
  }

  static Stream<Arguments> badFraming() {
    return Stream.of(
        Arguments.of("two differing Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nokk"),
        Arguments.of("Content-Length beside Transfer-Encoding",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"),
        Arguments.of("a Transfer-Encoding not ending in chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nok"),
        Arguments.of("an invalid chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n"),
        Arguments.of("a Content-Length that is not a number", "HTTP/1.1 200 OK\r\nContent-Length: two\r\n\r\nok"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFraming")
  void badResponseFramingIs502AndTheConnectionIsNeverReused(String name, String response) throws Exception {
    int acceptedBefore = endpoint.accepted();
    int closedBefore = endpoint.closedByPeer();
    endpoint.answerWith(response);
    try (RawHttp http = new RawHttp(proxy.port())) {
      http.send("GET /bad HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Response answer = http.read();

      assertThat(answer.status()).isEqualTo(502);
      assertThat(answer.header("content-type")).isEqualTo("application/problem+json");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.closedByPeer() > closedBefore);

    endpoint.answerWith("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    RawHttp.Response next = RawHttp.exchange(proxy.port(), "GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.body()).isEqualTo("ok");
    assertThat(endpoint.accepted()).as("a new connection for the next request").isGreaterThan(acceptedBefore);
  }
}
