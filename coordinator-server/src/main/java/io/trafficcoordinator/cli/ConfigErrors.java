package io.trafficcoordinator.cli;

import io.trafficcoordinator.config.tree.ConfigProblem;
import io.trafficcoordinator.config.tree.InvalidConfigException;
import java.nio.file.Path;

/** Prints a refused configuration the same way for every command. */
final class ConfigErrors {

  private ConfigErrors() {}

  static void print(Path file, InvalidConfigException e) {
    int count = e.problems().size();
    System.err.printf("%s: invalid configuration, %d problem%s:%n", file, count, count == 1 ? "" : "s");
    for (ConfigProblem problem : e.problems()) {
      System.err.println("  " + problem);
    }
  }
}
