package io.trafficcoordinator.testing;

import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.config.ConfigBinder;
import io.trafficcoordinator.config.ConfigTrees;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.server.Coordinator;
import io.trafficcoordinator.server.CoordinatorOptions;
import io.trafficcoordinator.time.NanoClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real coordinator in the test JVM, on ports the OS picks on 127.0.0.1, with a seeded random
 * source and two proxy event loops.
 */
public final class ProxyFixture implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private final Coordinator coordinator;

  private ProxyFixture(Coordinator coordinator) {
    this.coordinator = coordinator;
  }

  public static CoordinatorOptions testOptions() {
    return new CoordinatorOptions(new BalancingContext(NanoClock.system(), RngSource.seeded(42)), 2, null);
  }

  /** Starts a coordinator for {@code tree}; its listeners are forced onto 127.0.0.1 port 0. */
  public static ProxyFixture start(Map<String, Object> tree) throws Exception {
    return start(tree, testOptions());
  }

  public static ProxyFixture start(Map<String, Object> tree, CoordinatorOptions options) throws Exception {
    Map<String, Object> withPorts = new LinkedHashMap<>(tree);
    withPorts.putIfAbsent("security", ConfigTrees.testSecurity());
    withPorts.putIfAbsent("store", Map.of("type", "memory"));
    withPorts.put("listeners", Map.of(
        "data", onLoopback(tree, "data"),
        "control", onLoopback(tree, "control")));
    ConfigBinder.bind(withPorts);
    Coordinator coordinator = Coordinator.start(withPorts, options)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new ProxyFixture(coordinator);
  }

  /** 127.0.0.1, port 0, keeping the listener's tls settings when the test gives them. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> onLoopback(Map<String, Object> tree, String listener) {
    Map<String, Object> address = new LinkedHashMap<>(Map.of("host", "127.0.0.1", "port", 0));
    if (tree.get("listeners") instanceof Map<?, ?> listeners && listeners.get(listener) instanceof Map<?, ?> given
        && given.get("tls") != null) {
      address.put("tls", given.get("tls"));
    }
    return address;
  }

  public Coordinator coordinator() {
    return coordinator;
  }

  public int port() {
    return coordinator.dataPort();
  }

  public int controlPort() {
    return coordinator.controlPort();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> control(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPort() + path))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    coordinator.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
