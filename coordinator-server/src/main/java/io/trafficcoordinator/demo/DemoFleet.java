package io.trafficcoordinator.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's services and their endpoints, started in-process on loopback:
 * <ul>
 *   <li>{@code catalog} (group storefront, least-latency): two fast endpoints in zones a and b and
 *       one slow one in zone b, so least-latency visibly avoids the slow one;
 *   <li>{@code accounts} (group identity, round-robin): weights 3 and 1 across zones a and b.
 * </ul>
 * The configuration is built as the same tree a YAML file gives, and validated the same way.
 */
public final class DemoFleet {

  private final List<SampleEndpoint> catalog = new ArrayList<>();
  private final List<SampleEndpoint> accounts = new ArrayList<>();

  /** Starts every sample endpoint. */
  public Future<DemoFleet> start(Vertx vertx) {
    catalog.add(new SampleEndpoint(vertx, "catalog", "catalog-1", "zone-a", 5, 3));
    catalog.add(new SampleEndpoint(vertx, "catalog", "catalog-2", "zone-b", 5, 3));
    catalog.add(new SampleEndpoint(vertx, "catalog", "catalog-3", "zone-b", 80, 20));
    accounts.add(new SampleEndpoint(vertx, "accounts", "accounts-1", "zone-a", 2, 2));
    accounts.add(new SampleEndpoint(vertx, "accounts", "accounts-2", "zone-b", 2, 2));
    List<Future<SampleEndpoint>> started = new ArrayList<>();
    all().forEach(endpoint -> started.add(endpoint.start()));
    return Future.all(started).map(done -> this);
  }

  public List<SampleEndpoint> all() {
    List<SampleEndpoint> all = new ArrayList<>(catalog);
    all.addAll(accounts);
    return all;
  }

  public Future<Void> stop() {
    List<Future<Void>> stopped = new ArrayList<>();
    all().forEach(endpoint -> stopped.add(endpoint.stop()));
    return Future.join(stopped).mapEmpty();
  }

  /** The configuration tree for a coordinator fronting this fleet. */
  public Map<String, Object> configTree(String host, int dataPort, int controlPort) {
    List<Object> catalogEndpoints = new ArrayList<>();
    for (SampleEndpoint endpoint : catalog) {
      catalogEndpoints.add(endpoint(endpoint, 1));
    }
    List<Object> accountEndpoints = List.of(endpoint(accounts.get(0), 3), endpoint(accounts.get(1), 1));
    return map(
        "listeners", map("data", map("host", host, "port", dataPort), "control", map("host", host, "port", controlPort)),
        "services", List.of(
            map("name", "catalog", "group", "storefront", "strategy", "least-latency", "endpoints", catalogEndpoints),
            map("name", "accounts", "group", "identity", "strategy", "round-robin", "endpoints", accountEndpoints)),
        "routes", List.of(
            map("pathPrefix", "/catalog", "service", "catalog", "rewritePrefix", "/", "timeout", "5s"),
            map("pathPrefix", "/accounts", "service", "accounts", "rewritePrefix", "/", "timeout", "5s")));
  }

  private static Map<String, Object> endpoint(SampleEndpoint endpoint, int weight) {
    return map("id", endpoint.name(), "url", endpoint.url(), "zone", endpoint.zone(), "weight", weight);
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
