package io.trafficcoordinator.config.tree;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration was refused; carries every problem found, not only the first. */
public final class InvalidConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient List<ConfigProblem> problems;

  public InvalidConfigException(List<ConfigProblem> problems) {
    super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }
}
