package io.trafficcoordinator.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's services and their endpoints, started in-process on loopback: four services in two
 * groups, ten endpoints across three zones, with distinct latency profiles — one slow endpoint
 * (catalog-3) and one flaky one (sessions-2, 20% of answers are 503). The configuration is built as
 * the same tree a YAML file gives, and validated the same way.
 */
public final class DemoFleet {

  /** One demo endpoint: where it is, how fast and how reliable. */
  public record Spec(String name, String zone, int weight, int latencyMillis, int jitterMillis, double errorRate) {}

  /** One demo service and its endpoints. */
  public record Service(String name, String group, String strategy, String why, List<Spec> endpoints) {}

  public static final List<Service> SERVICES = List.of(
      new Service("catalog", "storefront", "least-latency", "catalog-3 is slow, so it gets few requests", List.of(
          new Spec("catalog-1", "eu-west-1a", 1, 5, 3, 0),
          new Spec("catalog-2", "eu-west-1b", 1, 6, 3, 0),
          new Spec("catalog-3", "eu-west-1c", 1, 80, 20, 0))),
      new Service("search", "storefront", "round-robin", "three alike endpoints, one request each in turn", List.of(
          new Spec("search-1", "eu-west-1a", 1, 10, 5, 0),
          new Spec("search-2", "eu-west-1b", 1, 10, 5, 0),
          new Spec("search-3", "eu-west-1c", 1, 12, 5, 0))),
      new Service("accounts", "identity", "round-robin", "weights 3:1, three of every four requests to accounts-1", List.of(
          new Spec("accounts-1", "eu-west-1a", 3, 2, 2, 0),
          new Spec("accounts-2", "eu-west-1b", 1, 3, 2, 0))),
      new Service("sessions", "identity", "least-latency", "sessions-2 fails 20% of requests, so it gets fewer", List.of(
          new Spec("sessions-1", "eu-west-1b", 1, 4, 2, 0),
          new Spec("sessions-2", "eu-west-1c", 1, 4, 2, 0.2))));

  private final Map<String, List<SampleEndpoint>> endpoints = new LinkedHashMap<>();

  /** Starts every sample endpoint. */
  public Future<DemoFleet> start(Vertx vertx) {
    List<Future<SampleEndpoint>> started = new ArrayList<>();
    for (Service service : SERVICES) {
      List<SampleEndpoint> running = new ArrayList<>();
      for (Spec spec : service.endpoints()) {
        SampleEndpoint endpoint = new SampleEndpoint(vertx, service.name(), spec.name(), spec.zone(),
            spec.latencyMillis(), spec.jitterMillis(), spec.errorRate());
        running.add(endpoint);
        started.add(endpoint.start());
      }
      endpoints.put(service.name(), running);
    }
    return Future.all(started).map(done -> this);
  }

  public List<SampleEndpoint> all() {
    List<SampleEndpoint> all = new ArrayList<>();
    endpoints.values().forEach(all::addAll);
    return all;
  }

  public Future<Void> stop() {
    List<Future<Void>> stopped = new ArrayList<>();
    all().forEach(endpoint -> stopped.add(endpoint.stop()));
    return Future.join(stopped).mapEmpty();
  }

  /** A sample path per service, for curl lines and the background load. */
  public static List<String> samplePaths() {
    return List.of("/catalog/items/42", "/search?q=lamps", "/accounts/alice", "/sessions/s-1");
  }

  /** The configuration tree for a coordinator fronting this fleet. */
  public Map<String, Object> configTree(String host, int dataPort, int controlPort) {
    List<Object> services = new ArrayList<>();
    List<Object> routes = new ArrayList<>();
    for (Service service : SERVICES) {
      List<Object> endpointTrees = new ArrayList<>();
      List<SampleEndpoint> running = endpoints.get(service.name());
      for (int i = 0; i < running.size(); i++) {
        SampleEndpoint endpoint = running.get(i);
        endpointTrees.add(map("id", endpoint.name(), "url", endpoint.url(), "zone", endpoint.zone(),
            "weight", service.endpoints().get(i).weight()));
      }
      services.add(map("name", service.name(), "group", service.group(), "strategy", service.strategy(),
          "endpoints", endpointTrees));
      routes.add(map("pathPrefix", "/" + service.name(), "service", service.name(), "rewritePrefix", "/", "timeout", "5s"));
    }
    return map(
        "listeners", map("data", map("host", host, "port", dataPort), "control", map("host", host, "port", controlPort)),
        "proxy", map("accessLog", false),
        "services", services,
        "routes", routes);
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
