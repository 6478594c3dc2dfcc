package io.trafficcoordinator.lab.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link ScenarioResult} as a table with one row per strategy: throughput, p50, p99 and
 * p99.9 latency, errors, cost per 1,000 requests and the share served in the caller's zone. Two
 * forms: a GitHub markdown table for reports, with the lowest p99 in bold, and an aligned
 * plain-text table for a terminal.
 */
public final class ReportTable {

  private static final String[] HEADERS = {
    "strategy", "throughput/s", "p50 ms", "p99 ms", "p99.9 ms", "errors", "cost/1k", "local"
  };

  private ReportTable() {}

  /** A GitHub markdown table; the row with the lowest p99 has that value in bold. */
  public static String markdown(ScenarioResult result) {
    List<StrategyResult> strategies = ReportFormat.strategies(result);
    int lowest = ReportFormat.lowestP99(strategies);
    StringBuilder out = new StringBuilder();
    out.append(markdownRow(HEADERS));
    out.append("|:---");
    for (int column = 1; column < HEADERS.length; column++) {
      out.append("|---:");
    }
    out.append("|\n");
    for (int i = 0; i < strategies.size(); i++) {
      String[] cells = cells(strategies.get(i));
      cells[0] = cells[0].replace("|", "\\|");
      if (i == lowest) {
        cells[3] = "**" + cells[3] + "**";
      }
      out.append(markdownRow(cells));
    }
    return out.toString();
  }

  /**
   * An aligned plain-text table: a header line, a dashed rule and one line per strategy, all of
   * the same length. The strategy column is left-aligned, the others right-aligned.
   */
  public static String text(ScenarioResult result) {
    List<String[]> rows = new ArrayList<>();
    for (StrategyResult strategy : ReportFormat.strategies(result)) {
      rows.add(cells(strategy));
    }
    int[] widths = new int[HEADERS.length];
    for (int column = 0; column < HEADERS.length; column++) {
      widths[column] = HEADERS[column].length();
      for (String[] row : rows) {
        widths[column] = Math.max(widths[column], row[column].length());
      }
    }
    StringBuilder out = new StringBuilder();
    String header = textRow(HEADERS, widths);
    out.append(header).append('\n');
    out.append("-".repeat(header.length())).append('\n');
    for (String[] row : rows) {
      out.append(textRow(row, widths)).append('\n');
    }
    return out.toString();
  }

  /** The formatted cells of one strategy's row, in the order of {@link #HEADERS}. */
  private static String[] cells(StrategyResult strategy) {
    return new String[] {
      ReportFormat.name(strategy),
      ReportFormat.integer(strategy.throughputPerSecond()),
      ReportFormat.latency(strategy.p50Millis()),
      ReportFormat.latency(strategy.p99Millis()),
      ReportFormat.latency(strategy.p999Millis()),
      Long.toString(strategy.errors()),
      ReportFormat.cost(strategy.costPer1k()),
      ReportFormat.percent(strategy.localShare())
    };
  }

  private static String markdownRow(String[] cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }

  private static String textRow(String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int column = 0; column < cells.length; column++) {
      String cell = cells[column];
      String padding = " ".repeat(widths[column] - cell.length());
      if (column == 0) {
        line.append(cell).append(padding);
      } else {
        line.append("  ").append(padding).append(cell);
      }
    }
    return line.toString();
  }
}
