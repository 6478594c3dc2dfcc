package io.trafficcoordinator.control;

import io.trafficcoordinator.config.tree.ConfigProblem;
import io.trafficcoordinator.versioning.ConfigRefused;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@code configure-load-balancing} request asks, as an edit of the traffic tree:
 *
 * <ul>
 *   <li>{@code service} (required) names the service; it is created when it does not exist and
 *       {@code endpoints} are given;
 *   <li>{@code strategy} and {@code strategyParameters} set the strategy (a new strategy without
 *       parameters drops the old strategy's parameters);
 *   <li>{@code endpoints} replaces the list: an entry with a {@code url} is taken as written, an
 *       entry with only an {@code id} (and settings) is the existing endpoint with that id, its
 *       settings overlaid; endpoints kept (same id, or same URL without id) keep their live stats;
 *   <li>{@code weights} sets static weights of endpoints by id;
 *   <li>{@code group} sets the service's group.
 * </ul>
 *
 * The result is then validated as a whole by the configuration binder. Request-shape problems are
 * refused here with their paths.
 */
final class LoadBalancingEdit {

  private static final Set<String> FIELDS =
      Set.of("service", "group", "strategy", "strategyParameters", "endpoints", "weights", "dryRun", "expectedVersion");
  private static final Set<String> ENDPOINT_FIELDS = Set.of("url", "id", "weight", "zone", "tier", "costPerRequest");

  private final JsonObject body;

  private LoadBalancingEdit(JsonObject body) {
    this.body = body;
  }

  /** Checks the request's shape; refuses with every problem at once. */
  static LoadBalancingEdit of(JsonObject body) {
    List<ConfigProblem> problems = new ArrayList<>();
    for (String field : body.fieldNames()) {
      if (!FIELDS.contains(field)) {
        problems.add(new ConfigProblem(field, "unknown field; known: " + String.join(", ", new java.util.TreeSet<>(FIELDS))));
      }
    }
    if (!(body.getValue("service") instanceof String name) || name.isBlank()) {
      problems.add(new ConfigProblem("service", "is required: the name of the service to configure"));
    }
    expect(body, "group", String.class, "a string", problems);
    expect(body, "strategy", String.class, "a strategy name", problems);
    expect(body, "strategyParameters", JsonObject.class, "an object", problems);
    expect(body, "weights", JsonObject.class, "an object of endpoint id to weight", problems);
    expect(body, "dryRun", Boolean.class, "true or false", problems);
    if (body.containsKey("expectedVersion") && !(body.getValue("expectedVersion") instanceof Number)) {
      problems.add(new ConfigProblem("expectedVersion", "must be a version number"));
    }
    if (body.containsKey("endpoints")) {
      if (!(body.getValue("endpoints") instanceof JsonArray endpoints)) {
        problems.add(new ConfigProblem("endpoints", "must be a list of endpoints"));
      } else {
        for (int i = 0; i < endpoints.size(); i++) {
          if (!(endpoints.getValue(i) instanceof JsonObject endpoint)) {
            problems.add(new ConfigProblem("endpoints[" + i + "]", "must be an object with url or id"));
            continue;
          }
          for (String field : endpoint.fieldNames()) {
            if (!ENDPOINT_FIELDS.contains(field)) {
              problems.add(new ConfigProblem("endpoints[" + i + "]." + field, "unknown field; known: "
                  + String.join(", ", new java.util.TreeSet<>(ENDPOINT_FIELDS))));
            }
          }
          if (!endpoint.containsKey("url") && !endpoint.containsKey("id")) {
            problems.add(new ConfigProblem("endpoints[" + i + "]", "needs a url, or the id of an endpoint the service has"));
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigRefused(400, "invalid-request", "the request is invalid (" + problems.size() + " problem"
          + (problems.size() == 1 ? "" : "s") + ")", problems);
    }
    return new LoadBalancingEdit(body);
  }

  private static void expect(JsonObject body, String field, Class<?> type, String what, List<ConfigProblem> problems) {
    if (body.containsKey(field) && !type.isInstance(body.getValue(field))) {
      problems.add(new ConfigProblem(field, "must be " + what));
    }
  }

  String service() {
    return body.getString("service");
  }

  boolean dryRun() {
    return body.getBoolean("dryRun", false);
  }

  Long expectedVersion() {
    return body.getValue("expectedVersion") instanceof Number n ? n.longValue() : null;
  }

  /** The next traffic tree: {@code traffic} (a copy, changed in place) with this request applied. */
  @SuppressWarnings("unchecked")
  Map<String, Object> applyTo(Map<String, Object> traffic) {
    List<Object> services = (List<Object>) traffic.computeIfAbsent("services", k -> new ArrayList<>());
    Map<String, Object> service = null;
    for (Object candidate : services) {
      if (candidate instanceof Map<?, ?> map && service().equals(map.get("name"))) {
        service = (Map<String, Object>) map;
      }
    }
    if (service == null) {
      if (!body.containsKey("endpoints")) {
        throw new ConfigRefused(404, "no-such-service", "no service is named '" + service()
            + "'; give endpoints to create it");
      }
      service = new LinkedHashMap<>();
      service.put("name", service());
      services.add(service);
    }
    if (body.containsKey("group")) {
      service.put("group", body.getString("group"));
    }
    if (body.containsKey("strategy")) {
      if (!body.getString("strategy").equals(service.get("strategy")) && !body.containsKey("strategyParameters")) {
        service.remove("strategyParameters");
      }
      service.put("strategy", body.getString("strategy"));
    }
    if (body.containsKey("strategyParameters")) {
      service.put("strategyParameters", body.getJsonObject("strategyParameters").getMap());
    }
    List<Object> existing = service.get("endpoints") instanceof List<?> list ? (List<Object>) list : List.of();
    if (body.containsKey("endpoints")) {
      service.put("endpoints", endpoints(body.getJsonArray("endpoints"), existing));
    }
    if (body.containsKey("weights")) {
      setWeights(body.getJsonObject("weights"), (List<Object>) service.getOrDefault("endpoints", List.of()));
    }
    return traffic;
  }

  @SuppressWarnings("unchecked")
  private List<Object> endpoints(JsonArray requested, List<Object> existing) {
    List<Object> next = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();
    for (int i = 0; i < requested.size(); i++) {
      JsonObject entry = requested.getJsonObject(i);
      Map<String, Object> endpoint;
      if (entry.containsKey("url")) {
        endpoint = new LinkedHashMap<>(entry.getMap());
      } else {
        Map<String, Object> found = find(existing, entry.getValue("id"));
        if (found == null) {
          problems.add(new ConfigProblem("endpoints[" + i + "].id", "service '" + service() + "' has no endpoint '"
              + entry.getValue("id") + "'; give its url to add it"));
          continue;
        }
        endpoint = new LinkedHashMap<>(found);
        endpoint.putAll(entry.getMap());
      }
      next.add(endpoint);
    }
    if (!problems.isEmpty()) {
      throw new ConfigRefused(400, "invalid-request", "the request is invalid", problems);
    }
    return next;
  }

  private void setWeights(JsonObject weights, List<Object> endpoints) {
    List<ConfigProblem> problems = new ArrayList<>();
    for (String id : weights.fieldNames()) {
      Map<String, Object> endpoint = find(endpoints, id);
      if (endpoint == null) {
        problems.add(new ConfigProblem("weights." + id, "service '" + service() + "' has no endpoint '" + id + "'"));
      } else {
        endpoint.put("weight", weights.getValue(id));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigRefused(400, "invalid-request", "the request is invalid", problems);
    }
  }

  /** The endpoint whose id is {@code id} (its explicit id, or its URL when it has none). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> find(List<Object> endpoints, Object id) {
    for (Object candidate : endpoints) {
      if (candidate instanceof Map<?, ?> map) {
        Object own = map.get("id") != null ? map.get("id") : map.get("url");
        if (own != null && own.equals(id)) {
          return (Map<String, Object>) map;
        }
      }
    }
    return null;
  }
}
