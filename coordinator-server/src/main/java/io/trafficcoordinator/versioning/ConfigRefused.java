package io.trafficcoordinator.versioning;

import io.trafficcoordinator.config.tree.ConfigProblem;
import java.util.List;

/**
 * A configuration change that was not made, and why, in the terms of an HTTP problem: the status,
 * a problem type slug, a one-line detail and, for an invalid configuration, every problem with its
 * path.
 */
public final class ConfigRefused extends RuntimeException {

  private final int status;
  private final String type;
  private final List<ConfigProblem> problems;

  public ConfigRefused(int status, String type, String detail, List<ConfigProblem> problems) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.problems = List.copyOf(problems);
  }

  public ConfigRefused(int status, String type, String detail) {
    this(status, type, detail, List.of());
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public List<ConfigProblem> problems() {
    return problems;
  }
}
