package io.trafficcoordinator.lab.report;

import java.util.List;
import java.util.Locale;

/** Number formatting and text helpers shared by {@link ReportTable} and {@link ReportChart}. */
final class ReportFormat {

  /** Shown in place of a value that is missing (NaN or infinite). */
  static final String MISSING = "\u2013";

  private ReportFormat() {}

  /** The scenario's strategies, or an empty list when there are none. */
  static List<StrategyResult> strategies(ScenarioResult result) {
    return result.strategies() == null ? List.of() : result.strategies();
  }

  /** The strategy's name on one line, or an empty string. */
  static String name(StrategyResult strategy) {
    String name = strategy.strategy();
    return name == null ? "" : name.replaceAll("[\\r\\n\\t]+", " ");
  }

  /** The strategy's name for a chart label, cut to at most 20 characters. */
  static String label(StrategyResult strategy) {
    String name = name(strategy);
    return name.length() <= 20 ? name : name.substring(0, 19) + "\u2026";
  }

  /** Rounded to an integer, without grouping. */
  static String integer(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.0f", value) : MISSING;
  }

  /** Two decimals below 10, one below 100, else an integer. */
  static String latency(double millis) {
    if (!Double.isFinite(millis)) {
      return MISSING;
    }
    // Decide on the rounded value, so that 9.999 becomes "10.0" rather than "10.00".
    if (Math.abs(Math.round(millis * 100) / 100.0) < 10) {
      return String.format(Locale.ROOT, "%.2f", millis);
    }
    if (Math.abs(Math.round(millis * 10) / 10.0) < 100) {
      return String.format(Locale.ROOT, "%.1f", millis);
    }
    return String.format(Locale.ROOT, "%.0f", millis);
  }

  static String cost(double costPer1k) {
    return Double.isFinite(costPer1k) ? String.format(Locale.ROOT, "%.2f", costPer1k) : MISSING;
  }

  /** A share in [0,1] as a percentage with one decimal, e.g. {@code "93.4 %"}. */
  static String percent(double share) {
    return Double.isFinite(share) ? String.format(Locale.ROOT, "%.1f %%", share * 100) : MISSING;
  }

  /** The index of the first strategy with the lowest finite p99, or -1 when there is none. */
  static int lowestP99(List<StrategyResult> strategies) {
    int best = -1;
    for (int i = 0; i < strategies.size(); i++) {
      double p99 = strategies.get(i).p99Millis();
      if (Double.isFinite(p99) && (best < 0 || p99 < strategies.get(best).p99Millis())) {
        best = i;
      }
    }
    return best;
  }

  /** Text safe to place in XML character data or a quoted attribute value. */
  static String xml(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          if (Character.isHighSurrogate(c) && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1))) {
            out.append(c).append(text.charAt(++i));
          } else {
            boolean invalid = c < 0x20 || Character.isSurrogate(c) || c == 0xFFFE || c == 0xFFFF;
            out.append(invalid ? ' ' : c);
          }
        }
      }
    }
    return out.toString();
  }
}
