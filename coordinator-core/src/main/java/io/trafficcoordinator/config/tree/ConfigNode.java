package io.trafficcoordinator.config.tree;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A value at a path in a parsed configuration tree (maps, lists, strings, numbers, booleans, as a
 * YAML or JSON parser produces them). Typed reads never throw: a wrong value is reported to the
 * {@link ConfigReading} with its path and the default is returned, so that one pass finds every
 * problem.
 */
public final class ConfigNode {

  private final String path;
  private final Object value;
  private final ConfigReading reading;

  public ConfigNode(String path, Object value, ConfigReading reading) {
    this.path = path;
    this.value = value;
    this.reading = reading;
  }

  public static ConfigNode root(Object tree, ConfigReading reading) {
    return new ConfigNode("", tree, reading);
  }

  public String path() {
    return path;
  }

  public boolean isPresent() {
    return value != null;
  }

  public ConfigReading reading() {
    return reading;
  }

  public void problem(String message) {
    reading.problem(path, message);
  }

  /** This node as an object; absent reads as an empty object, anything else is a problem. */
  public ConfigObject asObject() {
    if (value == null) {
      return new ConfigObject(this, Map.of());
    }
    if (value instanceof Map<?, ?> map) {
      return new ConfigObject(this, map);
    }
    problem("expected an object with keys, got " + describe(value));
    return new ConfigObject(this, Map.of());
  }

  /**
   * The raw value, without reporting anything: for peeking before the real read, or for handing a
   * subtree to another binder.
   */
  public Object raw() {
    return value;
  }

  /** This node as a list of nodes; absent reads as empty. */
  public List<ConfigNode> asList() {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      problem("expected a list, got " + describe(value));
      return List.of();
    }
    List<ConfigNode> nodes = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      nodes.add(new ConfigNode(path + "[" + i + "]", list.get(i), reading));
    }
    return nodes;
  }

  public String asString(String fallback) {
    if (value == null) {
      return fallback;
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    problem("expected a string, got " + describe(value));
    return fallback;
  }

  public long asLong(long fallback, long min, long max) {
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger)) {
      problem("expected a whole number, got " + describe(value));
      return fallback;
    }
    java.math.BigInteger n = new java.math.BigInteger(value.toString());
    if (n.compareTo(java.math.BigInteger.valueOf(min)) < 0 || n.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
      problem("must be between " + min + " and " + max + ", got " + n);
      return fallback;
    }
    return n.longValue();
  }

  public double asDouble(double fallback, double min, double max) {
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number number)) {
      problem("expected a number, got " + describe(value));
      return fallback;
    }
    double d = number.doubleValue();
    if (!(d >= min && d <= max)) {
      problem("must be between " + min + " and " + max + ", got " + number);
      return fallback;
    }
    return d;
  }

  public boolean asBoolean(boolean fallback) {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    problem("expected true or false, got " + describe(value));
    return fallback;
  }

  public Duration asDuration(Duration fallback, Duration min, Duration max) {
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String text)) {
      problem("expected a duration with a unit, for example 250ms or 30s, got " + describe(value));
      return fallback;
    }
    try {
      Duration d = ConfigValues.parseDuration(text);
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        problem("must be between " + ConfigValues.formatDuration(min) + " and "
            + ConfigValues.formatDuration(max) + ", got " + text);
        return fallback;
      }
      return d;
    } catch (IllegalArgumentException e) {
      problem(e.getMessage());
      return fallback;
    }
  }

  public long asSize(long fallback, long min, long max) {
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String || value instanceof Integer || value instanceof Long)) {
      problem("expected a size, for example 64KiB or 1048576, got " + describe(value));
      return fallback;
    }
    try {
      long bytes = ConfigValues.parseSize(value.toString());
      if (bytes < min || bytes > max) {
        problem("must be between " + ConfigValues.formatSize(min) + " and " + ConfigValues.formatSize(max)
            + ", got " + value);
        return fallback;
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      problem(e.getMessage());
      return fallback;
    }
  }

  static String describe(Object value) {
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof List) {
      return "a list";
    }
    if (value instanceof String s) {
      return "'" + s + "'";
    }
    return String.valueOf(value);
  }
}
