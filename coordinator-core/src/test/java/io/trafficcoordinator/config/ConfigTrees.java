package io.trafficcoordinator.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders for configuration trees as a YAML parser would produce them. */
public final class ConfigTrees {

  private ConfigTrees() {}

  /** A mutable map from alternating keys and values. */
  public static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  public static List<Object> list(Object... items) {
    return new ArrayList<>(List.of(items));
  }

  /** The HS256 secret of {@link #testSecurity()}: 32 bytes. */
  public static final String TEST_SECRET = "test-secret-of-thirty-two-bytes!";

  /** A valid document: services "users" (two endpoints) and "orders" (one), a route to each. */
  public static Map<String, Object> validDocument() {
    return map(
        "listeners", map("data", map("host", "127.0.0.1", "port", 0), "control", map("port", 0)),
        "services", list(
            map("name", "users", "group", "identity", "strategy", "least-latency",
                "endpoints", list(
                    map("url", "http://127.0.0.1:9001", "zone", "a", "weight", 2),
                    map("url", "http://127.0.0.1:9002", "id", "users-b", "zone", "b", "tier", 1, "costPerRequest", 0.5))),
            map("name", "orders", "endpoints", list(map("url", "http://127.0.0.1:9003")))),
        "routes", list(
            map("pathPrefix", "/users", "service", "users", "timeout", "2s"),
            map("name", "orders-api", "pathPrefix", "/api/orders", "service", "orders", "rewritePrefix", "/")),
        "security", testSecurity());
  }

  /** A security section with one HS256 key, {@link #TEST_SECRET}. */
  public static Map<String, Object> testSecurity() {
    return map("jwt", map("keys", list(map("algorithm", "HS256", "secret", TEST_SECRET))));
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> at(Map<String, Object> tree, Object... path) {
    Object node = tree;
    for (Object step : path) {
      node = step instanceof Integer i ? ((List<Object>) node).get(i) : ((Map<String, Object>) node).get(step);
    }
    return (Map<String, Object>) node;
  }
}
