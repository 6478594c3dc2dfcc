package io.trafficcoordinator.balance.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.trafficcoordinator.balance.ClientZones;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.TestEndpoints;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.random.SeededRng;
import io.trafficcoordinator.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class GeographicStrategyTest {

  private final ManualClock clock = new ManualClock(0L);

  /**
   * Three zones of 1 to 5 endpoints; each zone's callers send about its share of the capacity (up
   * to 5 % more or less, renormalised). Local capacity suffices within that margin, so after the
   * first refresh at least 90 % of requests must be served in the caller's zone (the spill-over
   * arithmetic gives at least 95 %; the margin covers demand measured over a few hundred picks).
   */
  @Property(tries = 40)
  void staysLocalWhileLocalCapacitySuffices(
      @ForAll @IntRange(min = 1, max = 5) int inA, @ForAll @IntRange(min = 1, max = 5) int inB,
      @ForAll @IntRange(min = 1, max = 5) int inC, @ForAll @DoubleRange(min = -0.05, max = 0.05) double skew,
      @ForAll @IntRange(min = 0, max = 1000) int seed) {
    EndpointSet set = zones(Map.of("a", inA, "b", inB, "c", inC));
    double total = inA + inB + inC;
    double[] demand = normalise(inA / total * (1 + skew), inB / total * (1 - skew), inC / total);

    Map<String, Map<String, Integer>> routed = run(set, GeographicConfig.DEFAULT, demand, seed);

    assertThat(localShare(routed)).isGreaterThanOrEqualTo(0.90);
  }

  /**
   * The four-zone fleet of SpillPlanTest: a and b are short of capacity, c is nearest to a and d to
   * b. a's excess goes to c and none to d; b's to d and none to c (within 3 points: demand is
   * measured from seeded traffic).
   */
  @Test
  void spillsInTheOrderOfTheLatencyMatrix() {
    EndpointSet set = zones(Map.of("a", 1, "b", 1, "c", 3, "d", 3));
    GeographicConfig config = new GeographicConfig(new ClientZones("X-Client-Zone", List.of()), new ZoneLatencies(List.of(
        link("a", "c", 1), link("b", "d", 1), link("a", "b", 10), link("a", "d", 10), link("b", "c", 10), link("c", "d", 10))),
        Duration.ofSeconds(1));

    Map<String, Map<String, Integer>> routed = run(set, config, new double[] {0.35, 0.35, 0.15, 0.15}, 5);

    assertThat(share(routed, "a", "a")).isCloseTo(0.125 / 0.35, within(0.03));
    assertThat(share(routed, "a", "c")).isCloseTo(0.225 / 0.35, within(0.03));
    assertThat(share(routed, "a", "d")).as("only noise in the measured demand").isLessThan(0.03);
    assertThat(share(routed, "b", "d")).isCloseTo(0.225 / 0.35, within(0.03));
    assertThat(share(routed, "b", "c")).as("only noise in the measured demand").isLessThan(0.03);
    assertThat(share(routed, "c", "c")).isEqualTo(1.0);
  }

  /** Zone a's endpoints fail their checks: after the next refresh its callers are all served elsewhere. */
  @Test
  void aZoneWithNoHealthyEndpointFailsOverToTheNearest() {
    EndpointSet set = zones(Map.of("a", 2, "b", 2, "c", 2));
    for (Endpoint endpoint : set.byZone().get("a")) {
      endpoint.stats().activeHealth().record(false, 2, 1);
    }
    GeographicConfig config = new GeographicConfig(new ClientZones("X-Client-Zone", List.of()),
        new ZoneLatencies(List.of(link("a", "c", 1), link("a", "b", 9), link("b", "c", 5))), Duration.ofSeconds(1));

    Map<String, Map<String, Integer>> routed = run(set, config, new double[] {0.2, 0.4, 0.4}, 11);

    assertThat(share(routed, "a", "a")).isZero();
    // b and c each have 1/2 of the capacity and 0.4 of the demand: 0.1 spare each, nearest (c) first.
    assertThat(share(routed, "a", "c")).isCloseTo(0.5, within(0.05));
  }

  /** Callers with no zone, or one the service does not run in, are spread over every endpoint. */
  @Test
  void callersFromUnknownZonesAreSpreadOverAll() {
    EndpointSet set = zones(Map.of("a", 2, "b", 2));
    Picker picker = new GeographicStrategy(GeographicConfig.DEFAULT, clock, RngSource.seeded(1)).newPicker(set);
    Map<String, Integer> byZone = new HashMap<>();
    for (int i = 0; i < 4000; i++) {
      Selection selection = picker.pick(i % 2 == 0 ? RequestContext.EMPTY : new RequestContext("mars", 0L));
      byZone.merge(selection.endpoint().zone(), 1, Integer::sum);
      selection.ignore();
    }
    assertThat(byZone.get("a") / 4000.0).isCloseTo(0.5, within(0.05));
  }

  /** Ten virtual seconds of 2000 picks each; returns picks per caller zone and endpoint zone after the first two. */
  private Map<String, Map<String, Integer>> run(EndpointSet set, GeographicConfig config, double[] demand, long seed) {
    List<String> zones = new ArrayList<>(set.byZone().keySet());
    zones.sort(null);
    Picker picker = new GeographicStrategy(config, clock, RngSource.seeded(seed)).newPicker(set);
    SeededRng callers = new SeededRng(seed);
    Map<String, Map<String, Integer>> routed = new HashMap<>();
    for (int second = 0; second < 10; second++) {
      for (int i = 0; i < 2000; i++) {
        String from = zones.get(draw(demand, callers.nextDouble()));
        Selection selection = picker.pick(new RequestContext(from, 0L));
        selection.ignore();
        if (second >= 2) {
          routed.computeIfAbsent(from, z -> new HashMap<>()).merge(selection.endpoint().zone(), 1, Integer::sum);
        }
        clock.advanceNanos(400_000L);
      }
      clock.advance(Duration.ofMillis(200));
    }
    return routed;
  }

  private static EndpointSet zones(Map<String, Integer> counts) {
    List<Endpoint> endpoints = new ArrayList<>();
    counts.keySet().stream().sorted().forEach(zone -> {
      for (int i = 0; i < counts.get(zone); i++) {
        endpoints.add(TestEndpoints.endpoint(zone + i, zone, 0.0));
      }
    });
    return new EndpointSet(1, endpoints);
  }

  private static int draw(double[] shares, double u) {
    double sum = 0;
    for (int i = 0; i < shares.length; i++) {
      sum += shares[i];
      if (u < sum) {
        return i;
      }
    }
    return shares.length - 1;
  }

  private static double[] normalise(double... values) {
    double total = 0;
    for (double v : values) {
      total += v;
    }
    for (int i = 0; i < values.length; i++) {
      values[i] /= total;
    }
    return values;
  }

  private static double share(Map<String, Map<String, Integer>> routed, String from, String to) {
    Map<String, Integer> row = routed.getOrDefault(from, Map.of());
    int total = row.values().stream().mapToInt(Integer::intValue).sum();
    return total == 0 ? 0 : row.getOrDefault(to, 0) / (double) total;
  }

  private static double localShare(Map<String, Map<String, Integer>> routed) {
    long local = 0;
    long total = 0;
    for (Map.Entry<String, Map<String, Integer>> row : routed.entrySet()) {
      for (Map.Entry<String, Integer> cell : row.getValue().entrySet()) {
        total += cell.getValue();
        if (cell.getKey().equals(row.getKey())) {
          local += cell.getValue();
        }
      }
    }
    return (double) local / total;
  }

  private static ZoneLatencies.Link link(String from, String to, int millis) {
    return new ZoneLatencies.Link(from, to, Duration.ofMillis(millis));
  }
}
