package io.trafficcoordinator.versioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The configuration as a tree of maps, lists and scalars (what YAML or JSON parse into), cut in two:
 * the <em>bootstrap</em> sections, always read from the file at start ({@code listeners},
 * {@code security}, {@code store}, {@code controlApi}: addresses, keys, where the store is and the
 * control API's own limits cannot come from the store itself), and the <em>traffic</em> sections ({@code limits}, {@code proxy}, {@code services},
 * {@code routes}), which the store versions and the control API changes.
 */
public final class ConfigTree {

  public static final Set<String> BOOTSTRAP_KEYS = Set.of("listeners", "security", "store", "controlApi");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigTree() {}

  /** The traffic sections of a whole tree (a copy). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> traffic(Object tree) {
    Map<String, Object> traffic = new LinkedHashMap<>();
    if (tree instanceof Map<?, ?> map) {
      ((Map<String, Object>) map).forEach((key, value) -> {
        if (!BOOTSTRAP_KEYS.contains(key)) {
          traffic.put(key, value);
        }
      });
    }
    return traffic;
  }

  /** The bootstrap sections of a whole tree (a copy). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> bootstrap(Object tree) {
    Map<String, Object> bootstrap = new LinkedHashMap<>();
    if (tree instanceof Map<?, ?> map) {
      ((Map<String, Object>) map).forEach((key, value) -> {
        if (BOOTSTRAP_KEYS.contains(key)) {
          bootstrap.put(key, value);
        }
      });
    }
    return bootstrap;
  }

  /** The whole tree: {@code bootstrap} then {@code traffic}. */
  public static Map<String, Object> whole(Map<String, Object> bootstrap, Map<String, Object> traffic) {
    Map<String, Object> whole = new LinkedHashMap<>(bootstrap);
    whole.putAll(traffic);
    return whole;
  }

  /** A deep copy, so that an edit never touches the tree in use. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> copy(Map<String, Object> tree) {
    return (Map<String, Object>) JSON.convertValue(tree, Map.class);
  }

  public static String toJson(Object tree) {
    try {
      return JSON.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a configuration tree that is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> fromJson(String json) {
    try {
      return JSON.readValue(json, LinkedHashMap.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a stored configuration that is not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
