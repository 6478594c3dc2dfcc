package io.trafficcoordinator.testing;

import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The most common proxy test setup: one {@link TestBackend} as the only endpoint of service
 * {@code svc}, one route to it, and a coordinator in front.
 */
public final class OneEndpointProxy implements AutoCloseable {

  private final Vertx vertx;
  private final TestBackend backend;
  private final ProxyFixture proxy;

  private OneEndpointProxy(Vertx vertx, TestBackend backend, ProxyFixture proxy) {
    this.vertx = vertx;
    this.backend = backend;
    this.proxy = proxy;
  }

  /**
   * @param route the route's keys (pathPrefix, timeouts...); {@code service} is added
   * @param topLevel further top-level sections such as {@code limits} or {@code proxy}
   */
  public static OneEndpointProxy start(Map<String, Object> route, Map<String, Object> topLevel) throws Exception {
    return start(List.of(route), topLevel);
  }

  /** As above, with several routes to the one service, in the order given. */
  public static OneEndpointProxy start(List<Map<String, Object>> routes, Map<String, Object> topLevel) throws Exception {
    Vertx vertx = Vertx.vertx();
    TestBackend backend = TestBackend.start(vertx, "backend");
    List<Object> toService = new ArrayList<>();
    for (Map<String, Object> route : routes) {
      Map<String, Object> routeToService = new LinkedHashMap<>(route);
      routeToService.put("service", "svc");
      toService.add(routeToService);
    }
    Map<String, Object> tree = new LinkedHashMap<>(topLevel);
    tree.put("services", list(map("name", "svc", "endpoints", list(map("url", backend.url())))));
    tree.put("routes", toService);
    return new OneEndpointProxy(vertx, backend, ProxyFixture.start(tree));
  }

  public Vertx vertx() {
    return vertx;
  }

  public TestBackend backend() {
    return backend;
  }

  public ProxyFixture proxy() {
    return proxy;
  }

  /** The data listener's port. */
  public int port() {
    return proxy.port();
  }

  @Override
  public void close() throws Exception {
    proxy.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }
}
