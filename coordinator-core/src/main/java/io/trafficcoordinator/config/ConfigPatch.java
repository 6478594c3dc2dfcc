package io.trafficcoordinator.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The difference between two configuration trees (maps, lists and scalars, as parsed from YAML or
 * JSON) as an RFC 6902 JSON Patch: the operations that turn {@code before} into {@code after}.
 *
 * <p>Objects are compared key by key; lists element by element at the same index, with elements
 * added or removed at the end (so inserting at the front of a list shows as replacements — correct,
 * if not the shortest patch). Paths are RFC 6901 pointers. Removals of list elements come
 * highest index first, so the patch applies in order. Pure.
 */
public final class ConfigPatch {

  private ConfigPatch() {}

  /** The operations, each a map with {@code op}, {@code path} and (for add and replace) {@code value}. */
  public static List<Map<String, Object>> diff(Object before, Object after) {
    List<Map<String, Object>> ops = new ArrayList<>();
    diff("", before, after, ops);
    return ops;
  }

  @SuppressWarnings("unchecked")
  private static void diff(String path, Object before, Object after, List<Map<String, Object>> ops) {
    if (before instanceof Map<?, ?> a && after instanceof Map<?, ?> b) {
      Map<String, Object> from = (Map<String, Object>) a;
      Map<String, Object> to = (Map<String, Object>) b;
      for (Map.Entry<String, Object> entry : from.entrySet()) {
        String child = path + "/" + escape(entry.getKey());
        if (!to.containsKey(entry.getKey())) {
          ops.add(op("remove", child, null));
        } else {
          diff(child, entry.getValue(), to.get(entry.getKey()), ops);
        }
      }
      for (Map.Entry<String, Object> entry : to.entrySet()) {
        if (!from.containsKey(entry.getKey())) {
          ops.add(op("add", path + "/" + escape(entry.getKey()), entry.getValue()));
        }
      }
    } else if (before instanceof List<?> a && after instanceof List<?> b) {
      int common = Math.min(a.size(), b.size());
      for (int i = 0; i < common; i++) {
        diff(path + "/" + i, a.get(i), b.get(i), ops);
      }
      for (int i = a.size() - 1; i >= common; i--) {
        ops.add(op("remove", path + "/" + i, null));
      }
      for (int i = common; i < b.size(); i++) {
        ops.add(op("add", path + "/" + i, b.get(i)));
      }
    } else if (!sameScalar(before, after)) {
      ops.add(op("replace", path, after));
    }
  }

  /** Numbers compare by value (an int 2 from YAML equals a long 2 from JSON). */
  private static boolean sameScalar(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    return Objects.equals(a, b);
  }

  private static Map<String, Object> op(String name, String path, Object value) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("op", name);
    op.put("path", path);
    if (!"remove".equals(name)) {
      op.put("value", value);
    }
    return op;
  }

  /** RFC 6901: '~' becomes "~0" and '/' becomes "~1". */
  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
