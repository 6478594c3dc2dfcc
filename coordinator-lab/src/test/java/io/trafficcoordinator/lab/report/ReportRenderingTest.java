package io.trafficcoordinator.lab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ReportRenderingTest {

  private static final String SVG_NS = "http://www.w3.org/2000/svg";

  private static StrategyResult strategy(
      String name, double p50, double p99, double p999, double cost, double local) {
    double[] millis = {p50 / 2, p50, p99 / 2, p99, p999};
    double[] fractions = {0.1, 0.5, 0.9, 0.99, 0.999};
    return new StrategyResult(
        name, 10_000, 12, 987.6, p50, p99, p999, cost, local, millis, fractions);
  }

  private static ScenarioResult threeStrategies() {
    return new ScenarioResult(
        "zone-outage",
        "zone <b> degrades & clients retry",
        42,
        10_000,
        List.of(
            strategy("round-robin", 1.234, 45.67, 123.4, 0.4567, 0.934),
            strategy("least-loaded", 2.5, 12.345, 80.0, 0.5, 0.5),
            strategy("power-of-two", 3.0, 30.0, 250.0, Double.NaN, Double.NaN)));
  }

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void markdownTableFormatsEveryColumn() {
    String markdown = ReportTable.markdown(threeStrategies());

    assertThat(markdown)
        .startsWith("| strategy | throughput/s | p50 ms | p99 ms | p99.9 ms | errors | cost/1k | local |\n")
        .contains("| round-robin | 988 | 1.23 | 45.7 | 123 | 12 | 0.46 | 93.4 % |")
        .contains("| least-loaded | 988 | 2.50 | **12.3** | 80.0 | 12 | 0.50 | 50.0 % |")
        .contains("| power-of-two | 988 | 3.00 | 30.0 | 250 | 12 | \u2013 | \u2013 |");
    assertThat(markdown.split("\\*\\*", -1)).as("exactly one bold value").hasSize(3);
  }

  @Test
  void textTableLinesAreAligned() {
    List<String> lines = ReportTable.text(threeStrategies()).lines().toList();

    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).startsWith("strategy").endsWith("local");
    assertThat(lines.get(1)).matches("-+");
    assertThat(lines.get(2)).startsWith("round-robin").endsWith("93.4 %");
    assertThat(lines.get(4)).endsWith("\u2013");
    assertThat(lines).extracting(String::length).containsOnly(lines.get(0).length());
  }

  @Test
  void svgIsWellFormedWithOneCurvePerStrategy() throws Exception {
    String svg = ReportChart.svg(threeStrategies());
    Document document = parse(svg);

    assertThat(document.getDocumentElement().getLocalName()).isEqualTo("svg");
    assertThat(document.getElementsByTagNameNS(SVG_NS, "polyline").getLength()).isEqualTo(3);
    assertThat(svg)
        .contains("round-robin", "least-loaded", "power-of-two")
        .contains("zone-outage \u2014 zone &lt;b&gt; degrades &amp; clients retry")
        .contains("(seed 42, 10000 requests per strategy)")
        .contains("p99 latency (ms)", "latency CDF", "fraction of requests")
        .doesNotContain("<script", "href", "NaN", "Infinity");
  }

  @Test
  void emptyScenarioRendersWithoutExceptions() throws Exception {
    ScenarioResult empty = new ScenarioResult("empty", "", 1, 0, List.of());

    assertThat(ReportTable.markdown(empty).lines()).hasSize(2);
    assertThat(ReportTable.text(empty).lines()).hasSize(2);
    Document document = parse(ReportChart.svg(empty));
    assertThat(document.getElementsByTagNameNS(SVG_NS, "polyline").getLength()).isZero();
  }

  @Test
  void degenerateValuesRenderWithoutExceptions() {
    StrategyResult nothing = new StrategyResult(
        "nothing", 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
        new double[0], new double[0]);
    StrategyResult zeros = new StrategyResult(
        "zeros", 10, 10, 0, 0, 0, 0, 0, 0, new double[] {0, 0}, new double[] {0.5, 1});
    StrategyResult single = new StrategyResult(
        "single", 1, 0, 1, 5, 5, 5, 1, 1, new double[] {5}, new double[] {1});
    ScenarioResult result = new ScenarioResult(
        null, null, 0, 1, List.of(nothing, zeros, single, single));

    assertThatCode(() -> {
      ReportTable.markdown(result);
      ReportTable.text(result);
      Document document = parse(ReportChart.svg(result));
      assertThat(document.getElementsByTagNameNS(SVG_NS, "polyline").getLength()).isEqualTo(4);
    }).doesNotThrowAnyException();
    assertThat(ReportChart.svg(result)).doesNotContain("NaN", "Infinity");
  }
}
