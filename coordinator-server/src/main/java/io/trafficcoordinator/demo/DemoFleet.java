package io.trafficcoordinator.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's services and their endpoints, started in-process on loopback: eight services, one per
 * balancing strategy, in four groups, twenty endpoints across three zones, each service with the
 * fleet its strategy is made for (a slow endpoint, a flaky one, one whose latency drifts, zones,
 * prices). The configuration is built as the same tree a YAML file gives, and validated the same way.
 */
public final class DemoFleet {

  /**
   * One demo endpoint: where it is, how fast and how reliable.
   *
   * @param driftMillis extra latency reached at the top of a one-minute cycle (rising for 30 s,
   *     then falling), for the predictive strategy to see coming
   * @param cost cost per request, for the cost-aware strategy
   */
  public record Spec(String name, String zone, int weight, int latencyMillis, int jitterMillis, double errorRate,
      int driftMillis, double cost) {

    Spec(String name, String zone, int weight, int latencyMillis, int jitterMillis, double errorRate) {
      this(name, zone, weight, latencyMillis, jitterMillis, errorRate, 0, 0.0);
    }
  }

  /** One demo service, its strategy and parameters, and its endpoints. */
  public record Service(String name, String group, String strategy, Map<String, Object> parameters, String why, List<Spec> endpoints) {}

  /** The zones the demo's callers say they are in (header {@code X-Client-Zone}), in rotation. */
  public static final List<String> CALLER_ZONES = List.of("eu-west-1a", "eu-west-1a", "eu-west-1b", "eu-west-1c");

  public static final List<Service> SERVICES = List.of(
      new Service("catalog", "storefront", "least-latency", Map.of(), "catalog-3 is slow, so it gets few requests", List.of(
          new Spec("catalog-1", "eu-west-1a", 1, 5, 3, 0),
          new Spec("catalog-2", "eu-west-1b", 1, 6, 3, 0),
          new Spec("catalog-3", "eu-west-1c", 1, 80, 20, 0))),
      new Service("search", "storefront", "weighted-performance", Map.of("slowStartWindow", "10s"),
          "search-3 is 4x slower: its weight settles near a ninth", List.of(
          new Spec("search-1", "eu-west-1a", 1, 5, 2, 0),
          new Spec("search-2", "eu-west-1b", 1, 5, 2, 0),
          new Spec("search-3", "eu-west-1c", 1, 20, 4, 0))),
      new Service("pricing", "storefront", "predictive-system", Map.of("horizon", "2s"),
          "pricing-2 slows down and recovers every minute; traffic leaves it as it climbs", List.of(
          new Spec("pricing-1", "eu-west-1a", 1, 6, 2, 0, 0, 0.0),
          new Spec("pricing-2", "eu-west-1b", 1, 6, 2, 0, 40, 0.0))),
      new Service("accounts", "identity", "round-robin", Map.of(), "weights 3:1, three of every four requests to accounts-1", List.of(
          new Spec("accounts-1", "eu-west-1a", 3, 2, 2, 0),
          new Spec("accounts-2", "eu-west-1b", 1, 3, 2, 0))),
      new Service("sessions", "identity", "health-distributed", Map.of(), "sessions-2 fails 20% of requests (its share drops) and all for 10 s each minute (ejected, then checked out)",
          List.of(
          new Spec("sessions-1", "eu-west-1b", 1, 4, 2, 0),
          new Spec("sessions-2", "eu-west-1c", 1, 4, 2, 0.2))),
      new Service("media", "content", "geographic-smart", Map.of("zoneLatencies", List.of(
              Map.of("from", "eu-west-1a", "to", "eu-west-1b", "latency", "2ms"),
              Map.of("from", "eu-west-1a", "to", "eu-west-1c", "latency", "3ms"),
              Map.of("from", "eu-west-1b", "to", "eu-west-1c", "latency", "2ms"))),
          "callers name their zone (X-Client-Zone) and are served in it", List.of(
          new Spec("media-1", "eu-west-1a", 1, 8, 4, 0),
          new Spec("media-2", "eu-west-1b", 1, 8, 4, 0),
          new Spec("media-3", "eu-west-1c", 1, 8, 4, 0))),
      new Service("reports", "analytics", "cost-performance-hybrid", Map.of("latencyObjective", "50ms", "alpha", 0.3),
          "reports-1 costs a fifth and meets the 50 ms objective, so it takes most", List.of(
          new Spec("reports-1", "eu-west-1a", 1, 20, 5, 0, 0, 0.0002),
          new Spec("reports-2", "eu-west-1b", 1, 5, 2, 0, 0, 0.0010))),
      new Service("recommendations", "analytics", "adaptive-intelligent", Map.of(),
          "fast, medium and slow endpoints; it learns which is which, no tuning", List.of(
          new Spec("recommendations-1", "eu-west-1a", 1, 4, 2, 0),
          new Spec("recommendations-2", "eu-west-1b", 1, 12, 4, 0),
          new Spec("recommendations-3", "eu-west-1c", 1, 40, 10, 0))));

  private final Map<String, List<SampleEndpoint>> endpoints = new LinkedHashMap<>();

  /** Starts every sample endpoint. */
  /**
   * Starts every endpoint, the n-th (from 0) on {@code firstPort} + n, so that a configuration
   * stored by an earlier run still finds them; {@code firstPort} 0 lets the OS choose.
   */
  public Future<DemoFleet> start(Vertx vertx, int firstPort) {
    List<Future<SampleEndpoint>> started = new ArrayList<>();
    int next = firstPort;
    for (Service service : SERVICES) {
      List<SampleEndpoint> running = new ArrayList<>();
      for (Spec spec : service.endpoints()) {
        SampleEndpoint endpoint = new SampleEndpoint(vertx, service.name(), spec.name(), spec.zone(),
            spec.latencyMillis(), spec.jitterMillis(), spec.errorRate(), spec.driftMillis());
        running.add(endpoint);
        started.add(endpoint.start(firstPort == 0 ? 0 : next++));
      }
      endpoints.put(service.name(), running);
    }
    return Future.all(started).map(done -> this);
  }

  /** How many endpoints the fleet runs. */
  public int size() {
    return SERVICES.stream().mapToInt(service -> service.endpoints().size()).sum();
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
    return List.of("/catalog/items/42", "/search?q=lamps", "/pricing/items/42", "/accounts/alice", "/sessions/s-1",
        "/media/videos/7", "/reports/daily", "/recommendations/alice");
  }

  /** The route in front of the search service with a rate limit: {@link #LIMITED_REQUESTS} per 10 s per client. */
  public static final String LIMITED_PREFIX = "/limited";
  public static final int LIMITED_REQUESTS = 5;
  /** The route in front of the accounts service that requires a valid token. */
  public static final String SECURE_PREFIX = "/secure";

  /** The configuration tree for a coordinator fronting this fleet. */
  public Map<String, Object> configTree(String host, int dataPort, int controlPort) {
    List<Object> services = new ArrayList<>();
    List<Object> routes = new ArrayList<>();
    for (Service service : SERVICES) {
      List<Object> endpointTrees = new ArrayList<>();
      List<SampleEndpoint> running = endpoints.get(service.name());
      for (int i = 0; i < running.size(); i++) {
        SampleEndpoint endpoint = running.get(i);
        Spec spec = service.endpoints().get(i);
        endpointTrees.add(map("id", endpoint.name(), "url", endpoint.url(), "zone", endpoint.zone(),
            "weight", spec.weight(), "costPerRequest", spec.cost()));
      }
      services.add(map("name", service.name(), "group", service.group(), "strategy", service.strategy(),
          "strategyParameters", service.parameters(), "endpoints", endpointTrees,
          "healthCheck", map("path", "/health", "interval", "2s", "timeout", "1s")));
      routes.add(map("pathPrefix", "/" + service.name(), "service", service.name(), "rewritePrefix", "/", "timeout", "5s"));
    }
    // The search service once more, behind a rate limit a person at a terminal can run into.
    routes.add(map("name", "limited-search", "pathPrefix", LIMITED_PREFIX, "service", "search", "rewritePrefix", "/",
        "timeout", "5s", "rateLimit", map("requests", LIMITED_REQUESTS, "per", "10s")));
    // The accounts service once more, for callers with a valid token only (the demo's tokens do).
    routes.add(map("name", "secure-accounts", "pathPrefix", SECURE_PREFIX, "service", "accounts", "rewritePrefix", "/",
        "timeout", "5s", "auth", map()));
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
