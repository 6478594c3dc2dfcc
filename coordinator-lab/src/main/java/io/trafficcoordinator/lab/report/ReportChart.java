package io.trafficcoordinator.lab.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link ScenarioResult} as a self-contained SVG document (900x420, no scripts, no
 * external references) with a title line and two panels: on the left a horizontal bar chart of
 * each strategy's p99 latency, the lowest highlighted; on the right the latency CDF of every
 * strategy on a log latency axis, with the fraction axis stretched toward the tail so that 0.9,
 * 0.99 and 0.999 are evenly spaced.
 */
public final class ReportChart {

  private static final int WIDTH = 900;
  private static final int HEIGHT = 420;
  private static final String[] PALETTE = {
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#17becf", "#7f3c8d"
  };
  private static final String HIGHLIGHT = "#2e9e5b";
  private static final String GREY_BLUE = "#8fa3bf";
  private static final String GRID = "#e3e3e3";

  // Left panel: names right-aligned before BAR_LEFT, bars up to BAR_WIDTH long.
  private static final double BAR_LEFT = 165;
  private static final double BAR_WIDTH = 200;
  private static final double BARS_TOP = 76;
  private static final double BARS_BOTTOM = 400;

  // Right panel: the CDF plot area.
  private static final double PLOT_LEFT = 525;
  private static final double PLOT_RIGHT = 884;
  private static final double PLOT_TOP = 76;
  private static final double PLOT_BOTTOM = 360;
  /** The top of the fraction axis, in -log10(1 - fraction): 3 is 0.999. */
  private static final double TAIL_MAX = 3;

  private ReportChart() {}

  /** The SVG document for the scenario. */
  public static String svg(ScenarioResult result) {
    List<StrategyResult> strategies = ReportFormat.strategies(result);
    StringBuilder svg = new StringBuilder(8192);
    svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
        .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
        .append(HEIGHT).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
    rect(svg, 0, 0, WIDTH, HEIGHT, "fill=\"#ffffff\"");
    text(svg, 16, 28, "start", "font-size=\"15\"", title(result));
    text(svg, 16, 58, "start", "font-size=\"13\" font-weight=\"bold\"", "p99 latency (ms)");
    text(svg, 470, 58, "start", "font-size=\"13\" font-weight=\"bold\"", "latency CDF");
    bars(svg, strategies);
    cdf(svg, strategies);
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static String title(ScenarioResult result) {
    String description = result.description();
    String scenario = result.scenario() == null ? "" : result.scenario();
    String about = description == null || description.isBlank() ? "" : " \u2014 " + description;
    return scenario + about + " (seed " + result.seed() + ", " + result.requestsPerStrategy()
        + " requests per strategy)";
  }

  private static void bars(StringBuilder svg, List<StrategyResult> strategies) {
    if (strategies.isEmpty()) {
      text(svg, BAR_LEFT, (BARS_TOP + BARS_BOTTOM) / 2, "start", "fill=\"#888888\"", "no results");
      return;
    }
    double max = strategies.stream().mapToDouble(StrategyResult::p99Millis)
        .filter(Double::isFinite).max().orElse(0);
    int lowest = ReportFormat.lowestP99(strategies);
    double pitch = Math.min(36, (BARS_BOTTOM - BARS_TOP) / strategies.size());
    double barHeight = Math.min(24, pitch * 0.7);
    line(svg, BAR_LEFT, BARS_TOP, BAR_LEFT, BARS_TOP + pitch * strategies.size(), "#999999", 1);
    for (int i = 0; i < strategies.size(); i++) {
      StrategyResult strategy = strategies.get(i);
      double p99 = strategy.p99Millis();
      double length = max > 0 && Double.isFinite(p99) ? Math.max(0, p99) / max * BAR_WIDTH : 0;
      double middle = BARS_TOP + pitch * i + pitch / 2;
      text(svg, BAR_LEFT - 6, middle + 4, "end", "", ReportFormat.label(strategy));
      String fill = "fill=\"" + (i == lowest ? HIGHLIGHT : GREY_BLUE) + "\"";
      rect(svg, BAR_LEFT, middle - barHeight / 2, length, barHeight, fill);
      String weight = i == lowest ? "font-weight=\"bold\"" : "";
      text(svg, BAR_LEFT + length + 4, middle + 4, "start", weight, ReportFormat.latency(p99));
    }
  }

  private static void cdf(StringBuilder svg, List<StrategyResult> strategies) {
    double[] positive = strategies.stream()
        .flatMapToDouble(strategy -> Arrays.stream(orEmpty(strategy.cdfMillis())))
        .filter(millis -> millis > 0 && Double.isFinite(millis)).toArray();
    double low = Arrays.stream(positive).min().orElse(1);
    double high = Arrays.stream(positive).max().orElse(10);
    if (high / low < 1.0001) {
      low /= Math.sqrt(10);
      high *= Math.sqrt(10);
    }
    double logLow = Math.log10(low);
    double logHigh = Math.log10(high);
    yAxis(svg);
    xAxis(svg, low, high, logLow, logHigh);
    rect(svg, PLOT_LEFT, PLOT_TOP, PLOT_RIGHT - PLOT_LEFT, PLOT_BOTTOM - PLOT_TOP,
        "fill=\"none\" stroke=\"#999999\"");
    for (int i = 0; i < strategies.size(); i++) {
      svg.append("<polyline fill=\"none\" stroke=\"").append(PALETTE[i % PALETTE.length])
          .append("\" stroke-width=\"1.8\" stroke-linejoin=\"round\" points=\"")
          .append(points(strategies.get(i), logLow, logHigh)).append("\"/>\n");
    }
    legend(svg, strategies);
  }

  /** The curve's points; it starts on the x axis below its first value, as a CDF does. */
  private static String points(StrategyResult strategy, double logLow, double logHigh) {
    double[] millis = orEmpty(strategy.cdfMillis());
    double[] fractions = orEmpty(strategy.cdfFractions());
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < Math.min(millis.length, fractions.length); i++) {
      if (Double.isFinite(millis[i]) && !Double.isNaN(fractions[i])) {
        double x = millis[i] <= 0 ? PLOT_LEFT : PLOT_LEFT
            + (Math.log10(millis[i]) - logLow) / (logHigh - logLow) * (PLOT_RIGHT - PLOT_LEFT);
        points.add(new double[] {Math.max(PLOT_LEFT, Math.min(PLOT_RIGHT, x)), y(fractions[i])});
      }
    }
    StringBuilder out = new StringBuilder();
    double[] last = null;
    for (int i = 0; i < points.size(); i++) {
      double[] point = points.get(i);
      if (i == 0) {
        out.append(num(point[0])).append(',').append(num(PLOT_BOTTOM));
      }
      boolean visible = last == null
          || Math.abs(point[0] - last[0]) >= 0.3 || Math.abs(point[1] - last[1]) >= 0.3;
      if (visible || i == points.size() - 1) {
        out.append(' ').append(num(point[0])).append(',').append(num(point[1]));
        last = point;
      }
    }
    return out.toString();
  }

  /** The vertical position of a cumulative fraction, on the tail-stretching scale. */
  private static double y(double fraction) {
    double tail = fraction >= 1 ? TAIL_MAX : -Math.log10(1 - fraction);
    tail = Math.max(0, Math.min(TAIL_MAX, tail));
    return PLOT_BOTTOM - tail / TAIL_MAX * (PLOT_BOTTOM - PLOT_TOP);
  }

  private static void yAxis(StringBuilder svg) {
    String[] labels = {"0", "0.5", "0.9", "0.99", "0.999"};
    for (String label : labels) {
      double y = y(Double.parseDouble(label));
      line(svg, PLOT_LEFT, y, PLOT_RIGHT, y, GRID, 1);
      text(svg, PLOT_LEFT - 5, y + 4, "end", "", label);
    }
    double middle = (PLOT_TOP + PLOT_BOTTOM) / 2;
    text(svg, 482, middle, "middle",
        "transform=\"rotate(-90 482 " + num(middle) + ")\"", "fraction of requests");
  }

  private static void xAxis(
      StringBuilder svg, double low, double high, double logLow, double logHigh) {
    double span = logHigh - logLow;
    int[] multipliers = span <= 3 ? new int[] {1, 2, 5} : new int[] {1};
    int step = (int) Math.max(1, Math.ceil(span / 7));
    List<Double> ticks = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (int decade = (int) Math.floor(logLow); decade <= (int) Math.ceil(logHigh); decade++) {
      for (int multiplier : multipliers) {
        double log = Math.log10(multiplier) + decade;
        if (Math.floorMod(decade, step) == 0 && log >= logLow - 1e-9 && log <= logHigh + 1e-9) {
          ticks.add(log);
          labels.add(BigDecimal.valueOf(multiplier).scaleByPowerOfTen(decade)
              .stripTrailingZeros().toPlainString());
        }
      }
    }
    if (ticks.size() < 2) {
      ticks.clear();
      labels.clear();
      ticks.add(logLow);
      labels.add(ReportFormat.latency(low));
      ticks.add(logHigh);
      labels.add(ReportFormat.latency(high));
    }
    for (int i = 0; i < ticks.size(); i++) {
      double x = PLOT_LEFT + (ticks.get(i) - logLow) / span * (PLOT_RIGHT - PLOT_LEFT);
      line(svg, x, PLOT_TOP, x, PLOT_BOTTOM, GRID, 1);
      line(svg, x, PLOT_BOTTOM, x, PLOT_BOTTOM + 4, "#999999", 1);
      text(svg, x, PLOT_BOTTOM + 17, "middle", "", labels.get(i));
    }
    text(svg, (PLOT_LEFT + PLOT_RIGHT) / 2, PLOT_BOTTOM + 36, "middle", "",
        "latency (ms, log scale)");
  }

  private static void legend(StringBuilder svg, List<StrategyResult> strategies) {
    if (strategies.isEmpty()) {
      text(svg, (PLOT_LEFT + PLOT_RIGHT) / 2, (PLOT_TOP + PLOT_BOTTOM) / 2, "middle",
          "fill=\"#888888\"", "no results");
      return;
    }
    int longest = strategies.stream()
        .mapToInt(strategy -> ReportFormat.label(strategy).length()).max().orElse(0);
    double width = 36 + longest * 6.8;
    double height = 8 + strategies.size() * 16;
    // Top left: fast and yet in the tail is where no CDF goes.
    double left = PLOT_LEFT + 8;
    double top = PLOT_TOP + 8;
    rect(svg, left, top, width, height, "fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#cccccc\"");
    for (int i = 0; i < strategies.size(); i++) {
      double middle = top + 12 + i * 16;
      line(svg, left + 6, middle, left + 24, middle, PALETTE[i % PALETTE.length], 3);
      text(svg, left + 30, middle + 4, "start", "", ReportFormat.label(strategies.get(i)));
    }
  }

  private static double[] orEmpty(double[] values) {
    return values == null ? new double[0] : values;
  }

  private static void rect(
      StringBuilder svg, double x, double y, double width, double height, String attributes) {
    svg.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y))
        .append("\" width=\"").append(num(width)).append("\" height=\"").append(num(height))
        .append("\" ").append(attributes).append("/>\n");
  }

  private static void line(
      StringBuilder svg, double x1, double y1, double x2, double y2, String colour, double width) {
    svg.append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1))
        .append("\" x2=\"").append(num(x2)).append("\" y2=\"").append(num(y2))
        .append("\" stroke=\"").append(colour).append("\" stroke-width=\"").append(num(width))
        .append("\"/>\n");
  }

  /** A text element; {@code attributes} are trusted, {@code content} is escaped. */
  private static void text(
      StringBuilder svg, double x, double y, String anchor, String attributes, String content) {
    svg.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y))
        .append("\" text-anchor=\"").append(anchor).append('"')
        .append(attributes.isEmpty() ? "" : " " + attributes).append('>')
        .append(ReportFormat.xml(content)).append("</text>\n");
  }

  private static String num(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
