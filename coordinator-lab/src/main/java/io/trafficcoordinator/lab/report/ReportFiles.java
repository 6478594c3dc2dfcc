package io.trafficcoordinator.lab.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a lab run to a directory: per scenario a markdown table ({@code NAME.md}) and a chart
 * ({@code NAME.svg}), and {@code README.md} with every table, its chart and the command that
 * reproduces the run.
 */
public final class ReportFiles {

  private ReportFiles() {}

  /** Writes the files for {@code results} into {@code directory}, creating it; returns the index file. */
  public static Path write(Path directory, List<ScenarioResult> results, String command) throws IOException {
    Files.createDirectories(directory);
    StringBuilder index = new StringBuilder("# Lab results\n\nReproduce with:\n\n```\n")
        .append(command).append("\n```\n");
    for (ScenarioResult result : results) {
      String table = ReportTable.markdown(result);
      Files.writeString(directory.resolve(result.scenario() + ".md"), "# " + result.scenario() + "\n\n"
          + result.description() + "\n\n" + table, StandardCharsets.UTF_8);
      Files.writeString(directory.resolve(result.scenario() + ".svg"), ReportChart.svg(result), StandardCharsets.UTF_8);
      index.append("\n## ").append(result.scenario()).append("\n\n").append(result.description())
          .append(" (seed ").append(result.seed()).append(", ").append(result.requestsPerStrategy())
          .append(" requests per strategy)\n\n").append(table).append("\n![").append(result.scenario())
          .append("](").append(result.scenario()).append(".svg)\n");
    }
    Path readme = directory.resolve("README.md");
    Files.writeString(readme, index.toString(), StandardCharsets.UTF_8);
    return readme;
  }
}
