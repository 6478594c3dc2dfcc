package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.testing.OneEndpointProxy;
import io.trafficcoordinator.testing.RawHttp;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RFC 9112 / 9110 rules a request head must follow, each sent as raw bytes: the answer, the
 * connection closed, and nothing at the endpoint. Every case here was forwarded (or, for the
 * versions, answered 501 without a problem body) before the rules were enforced.
 */
class RequestRulesTest {

  private static OneEndpointProxy setup;
  private static TestBackend backend;

  @BeforeAll
  static void start() throws Exception {
    setup = OneEndpointProxy.start(map("pathPrefix", "/"), map("limits", map("maxHeaderCount", 20)));
    backend = setup.backend();
  }

  @AfterAll
  static void stop() throws Exception {
    setup.close();
  }

  static Stream<Arguments> refused() {
    String host = "Host: x\r\n";
    return Stream.of(
        Arguments.of("HTTP/1.1 without Host", "GET /a HTTP/1.1\r\n\r\n", 400, "must have a Host header"),
        Arguments.of("two Host fields", "GET /a HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400, "more than one Host"),
        Arguments.of("two Host fields in HTTP/1.0", "GET /a HTTP/1.0\r\nHost: x\r\nhost: x\r\n\r\n", 400, "more than one Host"),
        Arguments.of("Host with a space", "GET /a HTTP/1.1\r\nHost: a b\r\n\r\n", 400, "not a valid host[:port]"),
        Arguments.of("Host with userinfo", "GET /a HTTP/1.1\r\nHost: x@y\r\n\r\n", 400, "not a valid host[:port]"),
        Arguments.of("Host with a bad port", "GET /a HTTP/1.1\r\nHost: x:99x\r\n\r\n", 400, "not a valid host[:port]"),
        Arguments.of("Host with a port over 65535", "GET /a HTTP/1.1\r\nHost: x:65536\r\n\r\n", 400, "not a valid host[:port]"),
        Arguments.of("empty Host", "GET /a HTTP/1.1\r\nHost:\r\n\r\n", 400, "not a valid host[:port]"),
        Arguments.of("two spaces after the method", "GET  /a HTTP/1.1\r\n" + host + "\r\n", 400, "method SP target SP version"),
        Arguments.of("a tab for a space", "GET\t/a HTTP/1.1\r\n" + host + "\r\n", 400, "method SP target SP version"),
        Arguments.of("a space before the method", " GET /a HTTP/1.1\r\n" + host + "\r\n", 400, "method SP target SP version"),
        Arguments.of("a space after the version", "GET /a HTTP/1.1 \r\n" + host + "\r\n", 400, "must end in HTTP/1.1"),
        Arguments.of("a control byte in the target", "GET /a\u0001b HTTP/1.1\r\n" + host + "\r\n", 400, "whitespace or a control"),
        Arguments.of("DEL in the target", "GET /a\u007fb HTTP/1.1\r\n" + host + "\r\n", 400, "whitespace or a control"),
        Arguments.of("a lower-case version", "GET /a http/1.1\r\n" + host + "\r\n", 400, "must end in HTTP/1.1"),
        Arguments.of("a two-digit minor version", "GET /a HTTP/1.10\r\n" + host + "\r\n", 400, "must end in HTTP/1.1"),
        Arguments.of("HTTP/1.2", "GET /a HTTP/1.2\r\n" + host + "\r\n", 505, "only HTTP/1.1 and HTTP/1.0"),
        Arguments.of("HTTP/2.0 in a request line", "GET /a HTTP/2.0\r\n" + host + "\r\n", 505, "only HTTP/1.1 and HTTP/1.0"),
        Arguments.of("an empty field name", "GET /a HTTP/1.1\r\n" + host + ": v\r\n\r\n", 400, "empty name"),
        Arguments.of("a field name with '('", "GET /a HTTP/1.1\r\n" + host + "Ba(d: v\r\n\r\n", 400, "not a token character"),
        Arguments.of("a field line without a colon", "GET /a HTTP/1.1\r\n" + host + "NoColon\r\n\r\n", 400, "no colon"),
        Arguments.of("obs-fold", "GET /a HTTP/1.1\r\n" + host + "X-A: a\r\n b\r\n\r\n", 400, "obs-fold"),
        Arguments.of("obs-fold with a tab", "GET /a HTTP/1.1\r\n" + host + "X-A: a\r\n\tb\r\n\r\n", 400, "obs-fold"),
        Arguments.of("a NUL in a value", "GET /a HTTP/1.1\r\n" + host + "X-A: a\u0000b\r\n\r\n", 400, "control character"),
        Arguments.of("a bare LF ending the request line", "GET /a HTTP/1.1\n" + host + "\r\n", 400, "bare CR or LF"),
        Arguments.of("bare LFs throughout", "GET /a HTTP/1.1\nHost: x\n\n", 400, "bare CR or LF"),
        Arguments.of("a bare CR in a value", "GET /a HTTP/1.1\r\n" + host + "X-A: a\rb\r\n\r\n", 400, "bare CR or LF"),
        Arguments.of("more fields than maxHeaderCount", "GET /a HTTP/1.1\r\n" + host + "A: b\r\n".repeat(20) + "\r\n",
            431, "more than 20 header fields"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void aHeadBreakingARuleIsRefusedClosedAndNeverForwarded(String name, String head, int status, String detail)
      throws Exception {
    int seenBefore = backend.seen().size();
    try (RawHttp http = new RawHttp(setup.port())) {
      // A well-formed request pipelined behind: it must not be read as a request either.
      http.send((head + "GET /behind HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      RawHttp.Response response = http.read();

      assertThat(response.status()).isEqualTo(status);
      assertThat(response.header("content-type")).isEqualTo("application/problem+json");
      assertThat(new JsonObject(response.body()).getString("detail")).contains(detail);
      assertThat(http.closedByPeer()).as("connection closed").isTrue();
    }
    assertThat(backend.seen()).as("nothing reached the endpoint").hasSize(seenBefore);
  }

  /**
   * A head over the limits that never ends is refused by size as it grows (414 for a request line
   * that never ends, 431 for headers that never end), arriving in pieces, without waiting for it.
   */
  @Test
  void anEndlessHeadIsRefusedBySizeWhileItArrives() throws Exception {
    try (RawHttp http = new RawHttp(setup.port())) {
      http.send("GET /" + "a".repeat(30_000));
      http.send("a".repeat(30_000));
      assertThat(http.read().status()).isEqualTo(414);
    }
    try (RawHttp http = new RawHttp(setup.port())) {
      http.send("GET /a HTTP/1.1\r\nHost: x\r\nX-Long: " + "v".repeat(30_000));
      http.send("v".repeat(30_000));
      RawHttp.Response response = http.read();
      assertThat(response.status()).isEqualTo(431);
      assertThat(http.closedByPeer()).isTrue();
    }
  }

  /** A head trickled in small pieces is checked once whole, and served. */
  @Test
  void aHeadArrivingInPiecesIsServed() throws Exception {
    String head = "GET /pieces HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n\r\n";
    try (RawHttp http = new RawHttp(setup.port())) {
      for (int i = 0; i < head.length(); i += 3) {
        http.send(head.substring(i, Math.min(head.length(), i + 3)));
        Thread.sleep(2);
      }
      assertThat(http.read().status()).isEqualTo(200);
    }
  }

  /**
   * Chunk-size lines as strictly as heads (RFC 9112 §7.1): whitespace around the size, a bare CR in
   * an extension. Answered at once with 400 and a close (Netty before 4.2.10 left the last one
   * unanswered until the client gave up); the endpoint, which got the head, never gets a whole body.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("badChunkLines")
  void aBadChunkLineIsRefusedAtOnce(String name, String chunks) throws Exception {
    try (RawHttp http = new RawHttp(setup.port())) {
      http.socket().setSoTimeout(5_000);
      http.send("POST /chunks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks);
      RawHttp.Response response = http.read();

      assertThat(response.status()).isEqualTo(400);
      assertThat(http.closedByPeer()).isTrue();
    }
  }

  static Stream<Arguments> badChunkLines() {
    return Stream.of(
        Arguments.of("a space after the size", "5 \r\nhello\r\n0\r\n\r\n"),
        Arguments.of("a space before the size", " 5\r\nhello\r\n0\r\n\r\n"),
        Arguments.of("a bare CR in an extension", "5;a\rb\r\nhello\r\n0\r\n\r\n"));
  }

  /** The same rules leave well-formed heads alone, whatever they hold that RFC 9112 allows. */
  @Test
  void wellFormedHeadsPass() throws Exception {
    String[] heads = {
        "GET /a HTTP/1.0\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: example.com:8080\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: [::1]:9\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\n",
        "\r\nGET /a?q=%20x HTTP/1.1\r\nhost: x\r\nX-Tab:\tvalue with\ttabs \r\nX-Empty:\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: x\r\n" + "A: b\r\n".repeat(19) + "\r\n"};
    for (String head : heads) {
      RawHttp.Response response = RawHttp.exchange(setup.port(), head);
      assertThat(response.status()).as(head).isEqualTo(200);
    }
  }

  /** A refused head behind a good one on the same connection: the first is served, then the refusal. */
  @Test
  void aBadHeadPipelinedBehindAGoodOneIsRefusedAfterIt() throws Exception {
    int seenBefore = backend.seen().size();
    try (RawHttp http = new RawHttp(setup.port())) {
      http.send("POST /first HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
          + "GET /second HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n");

      assertThat(http.read().status()).isEqualTo(200);
      assertThat(http.read().status()).isEqualTo(400);
      assertThat(http.closedByPeer()).isTrue();
    }
    assertThat(backend.seen()).hasSize(seenBefore + 1);
    assertThat(backend.seen().get(seenBefore).uri()).isEqualTo("/first");
  }

  /**
   * Header names with '_' are dropped before forwarding by default: to a CGI or WSGI backend
   * {@code X_Auth_User} and {@code X-Auth-User} are the same variable.
   */
  @Test
  void headerNamesWithUnderscoresAreDroppedByDefault() throws Exception {
    int seenBefore = backend.seen().size();
    RawHttp.Response response = RawHttp.exchange(setup.port(),
        "GET /a HTTP/1.1\r\nHost: x\r\nX_Auth_User: admin\r\nX-Kept: yes\r\n\r\n");

    assertThat(response.status()).isEqualTo(200);
    TestBackend.Seen seen = backend.seen().get(seenBefore);
    assertThat(seen.headers().get("x-kept")).isEqualTo("yes");
    assertThat(seen.headers().names()).noneMatch(n -> n.contains("_"));
  }

  @Test
  void headerNamesWithUnderscoresCanBeRefusedInstead() throws Exception {
    try (OneEndpointProxy strict = OneEndpointProxy.start(map("pathPrefix", "/"),
        map("proxy", map("accessLog", false, "headersWithUnderscores", "reject")))) {
      try (RawHttp http = new RawHttp(strict.port())) {
        http.send("GET /a HTTP/1.1\r\nHost: x\r\nX_Auth_User: admin\r\n\r\n");
        RawHttp.Response response = http.read();

        assertThat(response.status()).isEqualTo(400);
        assertThat(new JsonObject(response.body()).getString("detail")).contains("'_'");
        assertThat(http.closedByPeer()).isTrue();
      }
      assertThat(strict.backend().seen()).isEmpty();
    }
  }
}
