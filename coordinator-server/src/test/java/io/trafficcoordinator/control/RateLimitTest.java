package io.trafficcoordinator.control;

import static io.trafficcoordinator.config.ConfigTrees.TEST_SECRET;
import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.server.CoordinatorOptions;
import io.trafficcoordinator.testing.Jwts;
import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.time.ManualClock;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Rate limits per operation and client, on an injected clock: a 10/min bucket never makes the test wait. */
class RateLimitTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String BASE = "/api/v1/master-coordination";

  private static String token(String subject, String role) {
    return "Bearer " + Jwts.hs256(Jwts.header("HS256"), Jwts.claims(subject, 300, role), TEST_SECRET.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> change(ProxyFixture proxy, String authorization) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.controlPort() + BASE + "/configure-load-balancing"))
        .header("Authorization", authorization).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"service\":\"api\",\"strategy\":\"least-latency\",\"dryRun\":true}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anEmptyBucketAnswers429WithHeadersAndRefillsWithTime() throws Exception {
    ManualClock clock = new ManualClock(1_000_000_000_000L);
    CoordinatorOptions options = new CoordinatorOptions(new BalancingContext(clock, RngSource.seeded(42)), 2, null);
    try (ProxyFixture proxy = ProxyFixture.start(map(
        "services", list(map("name", "api", "endpoints", list(map("url", "http://127.0.0.1:9")))),
        "routes", list(map("pathPrefix", "/", "service", "api")),
        "controlApi", map("rateLimits", map("configure-load-balancing", map("perMinute", 10, "burst", 2)))), options)) {
      String alice = token("alice", "admin");

      // A burst of two, then the bucket is empty: a token comes back every 6 s.
      HttpResponse<String> first = change(proxy, alice);
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.headers().firstValue("ratelimit-policy")).contains("\"configure-load-balancing\";q=10;w=60");
      assertThat(first.headers().firstValue("ratelimit")).contains("\"configure-load-balancing\";r=1;t=6");
      assertThat(change(proxy, alice).headers().firstValue("ratelimit")).contains("\"configure-load-balancing\";r=0;t=12");

      HttpResponse<String> refused = change(proxy, alice);
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("retry-after")).contains("6");
      assertThat(refused.headers().firstValue("ratelimit")).contains("\"configure-load-balancing\";r=0;t=12");
      JsonObject problem = new JsonObject(refused.body());
      assertThat(problem.getString("type")).isEqualTo("urn:traffic-coordinator:problem:rate-limited");
      assertThat(problem.getString("detail")).contains("allows 10 requests a minute (bursts of 2) per client; retry in 6 s");

      // Another caller has a bucket of its own.
      assertThat(change(proxy, token("bob", "admin")).statusCode()).isEqualTo(200);

      // Five seconds on: still empty; six: one token.
      clock.advance(Duration.ofSeconds(5));
      assertThat(change(proxy, alice).statusCode()).isEqualTo(429);
      clock.advance(Duration.ofSeconds(1));
      assertThat(change(proxy, alice).statusCode()).isEqualTo(200);
      assertThat(change(proxy, alice).statusCode()).isEqualTo(429);

      // Refusals are audited, counted per client and kind.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.controlPort()
            + BASE + "/audit?action=configure-load-balancing")).header("Authorization", token("carol", "admin")).build(),
            HttpResponse.BodyHandlers.ofString());
        int limited = new JsonObject(page.body()).getJsonArray("items").stream()
            .map(JsonObject.class::cast).filter(e -> e.getString("outcome").equals("rate-limited"))
            .mapToInt(e -> e.getInteger("count")).sum();
        assertThat(limited).isEqualTo(3);
      });
    }
  }
}
