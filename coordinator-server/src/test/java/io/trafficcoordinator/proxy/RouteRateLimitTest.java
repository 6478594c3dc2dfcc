package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.trafficcoordinator.testing.OneEndpointProxy;
import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rate limits per route: by client address, by an API-key header, with a cost per request. Over
 * the limit the answer is 429 with Retry-After and the IETF RateLimit headers, and the endpoint
 * never sees the request. The rates are per minute, so no token comes back during a test.
 */
class RouteRateLimitTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static OneEndpointProxy setup;
  private static TestBackend backend;
  private static ProxyFixture proxy;

  @BeforeAll
  static void start() throws Exception {
    setup = OneEndpointProxy.start(List.of(
        map("pathPrefix", "/by-client",
            "rateLimit", map("requests", 3, "per", "1m")),
        map("pathPrefix", "/by-key",
            "rateLimit", map("requests", 2, "per", "1m", "key", "header", "header", "X-Api-Key")),
        map("pathPrefix", "/costly",
            "rateLimit", map("requests", 60, "per", "1m", "burst", 5, "cost", 2)),
        map("pathPrefix", "/")), map("proxy", map("accessLog", false)));
    backend = setup.backend();
    proxy = setup.proxy();
  }

  @AfterAll
  static void stop() throws Exception {
    setup.close();
  }

  private static HttpResponse<String> get(String path, String apiKey) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path));
    if (apiKey != null) {
      request.header("X-Api-Key", apiKey);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void overTheLimitIs429WithRetryAfterAndTheEndpointNeverSeesIt() throws Exception {
    int seenBefore = backend.seen().size();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> allowed = get("/by-client/" + i, null);
      assertThat(allowed.statusCode()).isEqualTo(200);
      assertThat(allowed.headers().firstValue("ratelimit-policy")).contains("\"/by-client\";q=3;w=60");
      assertThat(allowed.headers().firstValue("ratelimit")).get().asString().contains(";r=" + (2 - i) + ";");
    }
    HttpResponse<String> refused = get("/by-client/3", null);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("content-type")).contains("application/problem+json");
    assertThat(new JsonObject(refused.body()).getString("type")).endsWith(":rate-limited");
    assertThat(refused.headers().firstValue("retry-after")).contains("20");
    assertThat(refused.headers().firstValue("ratelimit")).get().asString().contains(";r=0;");
    assertThat(backend.seen()).hasSize(seenBefore + 3);
    // Other routes are not limited by it.
    assertThat(get("/free", null).statusCode()).isEqualTo(200);
    assertThat(counter("/by-client", "allowed")).isEqualTo(3.0);
    assertThat(counter("/by-client", "limited")).isEqualTo(1.0);
  }

  @Test
  void eachApiKeyHasItsOwnBucketAndRequestsWithoutOneShareOne() throws Exception {
    assertThat(get("/by-key", "alpha").statusCode()).isEqualTo(200);
    assertThat(get("/by-key", "alpha").statusCode()).isEqualTo(200);
    assertThat(get("/by-key", "alpha").statusCode()).isEqualTo(429);
    assertThat(get("/by-key", "beta").statusCode()).isEqualTo(200);
    assertThat(get("/by-key", null).statusCode()).isEqualTo(200);
    assertThat(get("/by-key", null).statusCode()).isEqualTo(200);
    assertThat(get("/by-key", null).statusCode()).isEqualTo(429);
  }

  /** A refused request with a body is closed, and still carries Retry-After and the RateLimit headers. */
  @Test
  void aRefusedPostKeepsItsRateLimitHeaders() throws Exception {
    HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/by-key"))
        .header("X-Api-Key", "poster").POST(HttpRequest.BodyPublishers.ofString("payload")).build();
    assertThat(HTTP.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    assertThat(HTTP.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = HTTP.send(post, HttpResponse.BodyHandlers.ofString());

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("retry-after")).isPresent();
    assertThat(refused.headers().firstValue("ratelimit-policy")).contains("\"/by-key\";q=2;w=60");
  }

  @Test
  void aRequestCostsWhatTheRouteSays() throws Exception {
    // A burst of 5 tokens at 2 a request: two requests, then the third would need a sixth token.
    assertThat(get("/costly", null).statusCode()).isEqualTo(200);
    assertThat(get("/costly", null).statusCode()).isEqualTo(200);
    HttpResponse<String> third = get("/costly", null);
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.headers().firstValue("retry-after")).contains("1");
  }

  private static double counter(String route, String result) {
    Counter counter = proxy.coordinator().registry().find("coordinator_rate_limit_decisions")
        .tag("route", route).tag("result", result).counter();
    return counter == null ? -1 : counter.count();
  }
}
