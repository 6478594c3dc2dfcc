package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.trafficcoordinator.endpoint.EndpointStats;
import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.RawEndpoint.Ending;
import io.trafficcoordinator.testing.RawEndpoint;
import io.trafficcoordinator.testing.RawHttp;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An endpoint that cuts its answers after their head: a try ends when its answer ends, so a cut
 * answer is a failed try (endpoint stats, metrics), retried on another endpoint while nothing of
 * it reached the client, answered 502 when no other endpoint is left; and one too large to hold
 * ends toward the client so that the truncation shows. Never a 200 with half a body that looks whole.
 */
class CutAnswersTest {

  private static Vertx vertx;
  private static RawEndpoint broken;
  private static TestBackend good;
  private static ProxyFixture proxy;

  static Stream<Arguments> cuts() {
    return Stream.of(
        Arguments.of("cut after the head", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", Ending.CLOSE),
        Arguments.of("cut mid-body with Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + "x".repeat(40),
            Ending.CLOSE),
        Arguments.of("cut mid-chunked body", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
            Ending.CLOSE),
        Arguments.of("reset mid-body", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + "x".repeat(40), Ending.RESET));
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    broken = RawEndpoint.start();
    good = TestBackend.start(vertx, "good");
    // Neither ejection nor breaker: the broken endpoint keeps its share, so that every test meets it.
    Object noEjection = map("enabled", false);
    proxy = ProxyFixture.start(map(
        "proxy", map("accessLog", false),
        "services", list(
            map("name", "pair", "strategy", "round-robin", "outlierDetection", noEjection, "circuitBreaker", noEjection,
                "endpoints", list(map("id", "broken", "url", broken.url()), map("id", "good", "url", good.url()))),
            map("name", "alone", "outlierDetection", noEjection, "circuitBreaker", noEjection,
                "endpoints", list(map("id", "broken-alone", "url", broken.url())))),
        "routes", list(
            // A budget no test here can spend: its floor grows a second at a time, and these tests are quick.
            map("pathPrefix", "/pair", "service", "pair",
                "retries", map("budget", map("percent", 100, "minPerSecond", 1000))),
            map("pathPrefix", "/alone", "service", "alone"))));
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    broken.close();
    good.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @BeforeEach
  void healthyAgain() {
    broken.answerWith("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  }

  private static EndpointStats stats(String service, String endpoint) {
    return proxy.coordinator().dataPlane().active().plan().service(service).balancer().endpoints().endpoints().stream()
        .filter(e -> e.id().equals(endpoint)).findFirst().orElseThrow().stats();
  }

  /** Every GET gets the good endpoint's whole answer, however often the broken one cuts its own. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cuts")
  void aCutAnswerIsRetriedOnAnotherEndpointUnseen(String name, String answer, Ending ending) throws Exception {
    broken.answerWith(answer, ending);
    long failuresBefore = stats("pair", "broken").totalFailures();
    long successesBefore = stats("pair", "broken").totalSuccesses();
    int requestsBefore = broken.requests();
    for (int i = 0; i < 6; i++) {
      RawHttp.Response response = RawHttp.exchange(proxy.port(), "GET /pair/item HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(response.status()).as(response.body()).isEqualTo(200);
      assertThat(response.body()).startsWith("{").contains("\"uri\":\"/pair/item\"");
    }
    int cut = broken.requests() - requestsBefore;
    assertThat(cut).isGreaterThanOrEqualTo(2); // round robin sent it its share of first tries
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(stats("pair", "broken").totalFailures() - failuresBefore).isEqualTo(cut));
    assertThat(stats("pair", "broken").totalSuccesses()).isEqualTo(successesBefore);
    String metrics = proxy.control("/metrics").body();
    assertThat(metrics).contains("coordinator_retries_total{cause=\"cut-answer\",route=\"/pair\",service=\"pair\"}");
  }

  /** Alone, the broken endpoint's cut answer is a 502 that says so; the 2xx count does not include it. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cuts")
  void aCutAnswerWithNoOtherEndpointIsA502(String name, String answer, Ending ending) throws Exception {
    broken.answerWith(answer, ending);
    String before = proxy.control("/metrics").body();
    RawHttp.Response response = RawHttp.exchange(proxy.port(), "GET /alone/item HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(response.status()).isEqualTo(502);
    assertThat(response.body()).contains("upstream-answer-cut");
    String after = proxy.control("/metrics").body();
    assertThat(count(after, "coordinator_requests_total{code=\"2xx\",route=\"/alone\",service=\"alone\"}"))
        .isEqualTo(count(before, "coordinator_requests_total{code=\"2xx\",route=\"/alone\",service=\"alone\"}"));
  }

  /** A POST may have done its work: its cut answer is never sent to a second endpoint. */
  @Test
  void aPostWhoseAnswerIsCutIsNotSentAgain() throws Exception {
    broken.answerWith("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nxx", Ending.CLOSE);
    int goodBefore = good.seen().size();
    int brokenBefore = broken.requests();
    int cut = 0;
    for (int i = 0; i < 4; i++) {
      RawHttp.Response response = RawHttp.exchange(proxy.port(),
          "POST /pair/order HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab");
      if (response.status() == 502) {
        cut++;
      } else {
        assertThat(response.status()).isEqualTo(200);
      }
    }
    assertThat(cut).isEqualTo(broken.requests() - brokenBefore).isGreaterThanOrEqualTo(1);
    assertThat(good.seen().size() - goodBefore).isEqualTo(4 - cut);
  }

  /** A held answer that came whole is forwarded whole, with the length the endpoint's chunks added up to. */
  @Test
  void aHeldChunkedAnswerGoesOutWithItsLength() throws Exception {
    broken.answerWith("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    RawHttp.Response response = RawHttp.exchange(proxy.port(), "GET /alone/item HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hello world");
    assertThat(response.header("content-length")).isEqualTo("11");
    assertThat(response.header("transfer-encoding")).isNull();
  }

  /** Too large to hold and cut after it started: the client sees the connection end short of the length. */
  @Test
  void aLargeAnswerCutMidwayEndsShortOfItsLength() throws Exception {
    int length = 200 * 1024;
    broken.answerWith("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\n\r\n" + "y".repeat(100 * 1024), Ending.CLOSE);
    String before = proxy.control("/metrics").body();
    RawHttp.Response response = RawHttp.exchange(proxy.port(), "GET /alone/big HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("content-length")).isEqualTo(Integer.toString(length));
    assertThat(response.body().length()).isLessThan(length);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      String after = proxy.control("/metrics").body();
      assertThat(count(after, "coordinator_requests_total{code=\"cut\",route=\"/alone\",service=\"alone\"}"))
          .isEqualTo(count(before, "coordinator_requests_total{code=\"cut\",route=\"/alone\",service=\"alone\"}") + 1);
    });
  }

  /** Too large to hold, chunked, and cut: the client never gets the final empty chunk that would make it look whole. */
  @Test
  void aLargeChunkedAnswerCutMidwayNeverGetsItsLastChunk() throws Exception {
    String chunk = "y".repeat(32 * 1024);
    String chunks = (Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n").repeat(4);
    broken.answerWith("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks, Ending.CLOSE);
    try (RawHttp http = new RawHttp(proxy.port())) {
      http.send("GET /alone/big HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThatThrownBy(http::read).isInstanceOf(IOException.class);
    }
  }

  private static double count(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }
}
