package io.trafficcoordinator.proxy;

import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.config.ConfigBinder;
import io.trafficcoordinator.testing.ProxyFixture;
import io.trafficcoordinator.testing.TestBackend;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Strategies behind the real proxy: the caller's zone reaches the strategy, and a reload switches strategy without losing what was learned. */
class StrategyRoutingTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private Vertx vertx;
  private TestBackend inA;
  private TestBackend inB;
  private TestBackend inC;
  private ProxyFixture proxy;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    inA = TestBackend.start(vertx, "in-a");
    inB = TestBackend.start(vertx, "in-b");
    inC = TestBackend.start(vertx, "in-c");
  }

  @AfterEach
  void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private Map<String, Object> config(String strategy, Map<String, Object> parameters) {
    return map(
        "services", list(map("name", "media", "strategy", strategy, "strategyParameters", parameters, "endpoints", list(
            map("id", "a", "url", inA.url(), "zone", "zone-a"),
            map("id", "b", "url", inB.url(), "zone", "zone-b"),
            map("id", "c", "url", inC.url(), "zone", "zone-c")))),
        "routes", list(map("pathPrefix", "/", "service", "media")));
  }

  private String servedBy(String zoneHeader) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(proxy.url("/video"))).timeout(Duration.ofSeconds(10));
    if (zoneHeader != null) {
      request.header("X-Client-Zone", zoneHeader);
    }
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.headers().firstValue("x-endpoint").orElseThrow();
  }

  @Test
  void theCallersZoneFromHeaderOrAddressKeepsTrafficLocalAndIsCounted() throws Exception {
    proxy = ProxyFixture.start(config("geographic-smart",
        map("zoneCidrs", list(map("zone", "zone-c", "cidrs", list("127.0.0.0/8"))))));

    for (int i = 0; i < 20; i++) {
      assertThat(servedBy("zone-b")).isEqualTo("in-b");
    }
    // No header: the client's address, 127.0.0.1, lies in zone-c's block.
    for (int i = 0; i < 10; i++) {
      assertThat(servedBy(null)).isEqualTo("in-c");
    }

    Map<String, Double> metrics = new HashMap<>();
    proxy.control("/metrics").body().lines().filter(l -> l.startsWith("coordinator_zone_requests_total")).forEach(l ->
        metrics.put(l.substring(0, l.lastIndexOf(' ')), Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))));
    assertThat(metrics).containsEntry("coordinator_zone_requests_total{locality=\"local\",service=\"media\"}", 30.0);
  }

  @Test
  void aReloadSwitchesStrategyAtOnceAndKeepsTheEndpointsStats() throws Exception {
    proxy = ProxyFixture.start(config("round-robin", map()));
    Map<String, Integer> before = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      before.merge(servedBy("zone-a"), 1, Integer::sum);
    }
    assertThat(before).isEqualTo(Map.of("in-a", 10, "in-b", 10, "in-c", 10));

    proxy.coordinator().apply(ConfigBinder.bind(withPorts(config("geographic-smart", map()))));

    for (int i = 0; i < 10; i++) {
      assertThat(servedBy("zone-a")).as("the new strategy serves the next request").isEqualTo("in-a");
    }
    // The endpoint's counters went on from 10: the stats were carried into the new plan, not reset.
    assertThat(proxy.control("/metrics").body())
        .contains("coordinator_endpoint_requests_total{endpoint=\"a\",outcome=\"success\",service=\"media\"} 20.0");
  }

  /** The running listeners' addresses, so that the reload changes nothing but the service. */
  private Map<String, Object> withPorts(Map<String, Object> tree) {
    Map<String, Object> copy = new HashMap<>(tree);
    copy.put("listeners", map(
        "data", map("host", "127.0.0.1", "port", proxy.port()),
        "control", map("host", "127.0.0.1", "port", proxy.controlPort())));
    copy.put("security", io.trafficcoordinator.config.ConfigTrees.testSecurity());
    return copy;
  }

}
