package io.trafficcoordinator.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The chaos runs as the markdown table docs/RESILIENCE.md records: one row per fault, strategy and
 * health-check setting; with several runs of each, every figure is the median and, in brackets, the
 * range (one run can mislead).
 */
final class ChaosReport {

  private ChaosReport() {}

  static String table(List<ChaosRun.Result> results) {
    Map<String, List<ChaosRun.Result>> rows = new LinkedHashMap<>();
    for (ChaosRun.Result r : results) {
      rows.computeIfAbsent(r.fault().slug + " | " + r.strategy() + " | " + (r.healthChecks() ? "on" : "off"),
          key -> new ArrayList<>()).add(r);
    }
    StringBuilder out = new StringBuilder()
        .append("| fault of one endpoint of three | strategy | health checks | runs | requests | errors | over 1 s | p99 ms"
            + " | max ms | requests it got in the fault's last second | its share before | eligible again after (s)"
            + " | takes traffic again after (s) | its share back after (s) |\n")
        .append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<String, List<ChaosRun.Result>> row : rows.entrySet()) {
      List<ChaosRun.Result> runs = row.getValue();
      out.append("| ").append(row.getKey()).append(" | ").append(runs.size())
          .append(" | ").append(figure(runs, ChaosRun.Result::requests, "%.0f"))
          .append(" | ").append(figure(runs, ChaosRun.Result::errors, "%.0f"))
          .append(" | ").append(figure(runs, ChaosRun.Result::overOneSecond, "%.0f"))
          .append(" | ").append(figure(runs, ChaosRun.Result::p99Millis, "%.1f"))
          .append(" | ").append(figure(runs, ChaosRun.Result::maxMillis, "%.0f"))
          .append(" | ").append(figure(runs, ChaosRun.Result::triesInLastSecondOfFault, "%.0f"))
          .append(" | ").append(figure(runs, r -> 100 * r.shareBefore(), "%.0f %%"))
          .append(" | ").append(figure(runs, ChaosRun.Result::eligibleSeconds, "%.1f"))
          .append(" | ").append(figure(runs, ChaosRun.Result::backSeconds, "%.1f"))
          .append(" | ").append(figure(runs, ChaosRun.Result::shareBackSeconds, "%.1f"))
          .append(" |\n");
    }
    return out.toString();
  }

  /** The median of the runs' values, with their range when they differ; "no" for a run that never got there. */
  private static String figure(List<ChaosRun.Result> runs, ToDoubleFunction<ChaosRun.Result> value, String format) {
    double[] values = runs.stream().mapToDouble(value).map(v -> Double.isNaN(v) ? Double.POSITIVE_INFINITY : v)
        .sorted().toArray();
    String median = text(values[(values.length - 1) / 2], format);
    if (values[0] == values[values.length - 1]) {
      return median;
    }
    return median + " (" + text(values[0], format) + "–" + text(values[values.length - 1], format) + ")";
  }

  private static String text(double value, String format) {
    return Double.isInfinite(value) ? "not within 5 s" : String.format(Locale.ROOT, format, value);
  }
}
