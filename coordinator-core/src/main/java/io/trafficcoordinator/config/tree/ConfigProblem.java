package io.trafficcoordinator.config.tree;

/**
 * One thing wrong with a configuration, at the path where it was found.
 *
 * @param path where, for example {@code services[1].endpoints[0].url}; empty for the whole document
 */
public record ConfigProblem(String path, String message) {

  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
