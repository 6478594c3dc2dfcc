package io.trafficcoordinator.config.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The state of reading one configuration document: the problems found so far and, for every kind
 * of object read, the keys the reader asked for (its vocabulary, which a test compares with the
 * JSON Schema). Not thread-safe: one document is read on one thread.
 */
public final class ConfigReading {

  private final List<ConfigProblem> problems = new ArrayList<>();
  private final Map<String, Set<String>> vocabulary = new TreeMap<>();

  public void problem(String path, String message) {
    problems.add(new ConfigProblem(path, message));
  }

  public List<ConfigProblem> problems() {
    return List.copyOf(problems);
  }

  public boolean hasProblems() {
    return !problems.isEmpty();
  }

  /**
   * Keys asked for per object kind, the kind being the object's path with list indices removed
   * ({@code services[].endpoints[]}; the root is "").
   */
  public Map<String, Set<String>> vocabulary() {
    return vocabulary;
  }

  void objectRead(String objectPath) {
    vocabulary.computeIfAbsent(kind(objectPath), k -> new TreeSet<>());
  }

  void keyRead(String objectPath, String key) {
    vocabulary.computeIfAbsent(kind(objectPath), k -> new TreeSet<>()).add(key);
  }

  private static String kind(String objectPath) {
    return objectPath.replaceAll("\\[\\d+]", "[]");
  }
}
