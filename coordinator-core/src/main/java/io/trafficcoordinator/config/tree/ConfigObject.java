package io.trafficcoordinator.config.tree;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An object in a configuration tree whose keys are read one by one; {@link #finish()} then
 * reports every key that nobody asked for, naming the closest known key when one is near.
 */
public final class ConfigObject {

  private final ConfigNode node;
  private final Map<?, ?> entries;
  private final Set<String> read = new HashSet<>();

  ConfigObject(ConfigNode node, Map<?, ?> entries) {
    this.node = node;
    this.entries = entries;
    node.reading().objectRead(node.path());
  }

  public String path() {
    return node.path();
  }

  public boolean isPresent() {
    return node.isPresent();
  }

  public boolean has(String key) {
    return entries.get(key) != null;
  }

  public void problem(String message) {
    node.problem(message);
  }

  /** The node under {@code key}; absent when the key is missing or null. */
  public ConfigNode field(String key) {
    read.add(key);
    node.reading().keyRead(node.path(), key);
    String childPath = node.path().isEmpty() ? key : node.path() + "." + key;
    return new ConfigNode(childPath, entries.get(key), node.reading());
  }

  public String string(String key, String fallback) {
    return field(key).asString(fallback);
  }

  /** A string that must be present and not blank; reports "is required" otherwise. */
  public String requiredString(String key) {
    ConfigNode child = field(key);
    String value = child.asString(null);
    if (value == null && !child.isPresent()) {
      child.problem("is required");
    } else if (value != null && value.isBlank()) {
      child.problem("must not be empty");
      return null;
    }
    return value;
  }

  public int integer(String key, int fallback, int min, int max) {
    return (int) field(key).asLong(fallback, min, max);
  }

  public double number(String key, double fallback, double min, double max) {
    return field(key).asDouble(fallback, min, max);
  }

  public boolean bool(String key, boolean fallback) {
    return field(key).asBoolean(fallback);
  }

  public Duration duration(String key, Duration fallback, Duration min, Duration max) {
    return field(key).asDuration(fallback, min, max);
  }

  public long size(String key, long fallback, long min, long max) {
    return field(key).asSize(fallback, min, max);
  }

  public ConfigObject object(String key) {
    return field(key).asObject();
  }

  public List<ConfigNode> list(String key) {
    return field(key).asList();
  }

  /** Reports every key present but never read. Call after reading all known keys. */
  public void finish() {
    for (Object key : entries.keySet()) {
      String name = String.valueOf(key);
      if (!read.contains(name)) {
        String childPath = node.path().isEmpty() ? name : node.path() + "." + name;
        String hint = closest(name);
        node.reading().problem(childPath, "unknown key" + (hint == null ? "" : " (did you mean '" + hint + "'?)"));
      }
    }
  }

  private String closest(String unknown) {
    String best = null;
    int bestDistance = 3;
    for (String known : read) {
      int d = editDistance(ConfigValues.lower(unknown), ConfigValues.lower(known));
      if (d < bestDistance) {
        bestDistance = d;
        best = known;
      }
    }
    return best;
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
