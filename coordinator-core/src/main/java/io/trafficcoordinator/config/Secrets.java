package io.trafficcoordinator.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps secrets out of everything the coordinator shows: the configuration it answers with, the
 * diffs in answers and the audit log, exports. A value is a secret when its key is one of
 * {@link #KEYS}, at any depth; it is shown as {@link #REDACTED}.
 */
public final class Secrets {

  /** Keys whose values are secrets wherever they appear. */
  public static final Set<String> KEYS = Set.of("secret", "password", "privateKey", "clientKey");
  public static final String REDACTED = "[redacted]";

  private Secrets() {}

  /** A copy of {@code tree} with every secret value replaced. */
  @SuppressWarnings("unchecked")
  public static Object redact(Object tree) {
    if (tree instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      ((Map<String, Object>) map).forEach((key, value) -> copy.put(key, KEYS.contains(key) ? REDACTED : redact(value)));
      return copy;
    }
    if (tree instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(item -> copy.add(redact(item)));
      return copy;
    }
    return tree;
  }

  /** A copy of the patch {@code ops} with secret values replaced (by the key at the path's end, or inside a value). */
  public static List<Map<String, Object>> redactPatch(List<Map<String, Object>> ops) {
    List<Map<String, Object>> copy = new ArrayList<>(ops.size());
    for (Map<String, Object> op : ops) {
      Map<String, Object> redacted = new LinkedHashMap<>(op);
      if (redacted.containsKey("value")) {
        String path = (String) op.get("path");
        String last = path.substring(path.lastIndexOf('/') + 1);
        redacted.put("value", KEYS.contains(last) ? REDACTED : redact(op.get("value")));
      }
      copy.add(redacted);
    }
    return copy;
  }
}
