package io.trafficcoordinator.balance.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpillPlanTest {

  private static final List<String> ZONES = List.of("a", "b", "c", "d");

  /**
   * Zones a and b each hold 1/8 of the capacity but send 35 % of the requests; c and d hold 3/8
   * and send 15 %, so each has 22.5 % of all traffic to spare. With a nearest to c and b nearest
   * to d, a's excess (22.5 %) fills c and b's fills d; a keeps 0.125 / 0.35 of its own.
   */
  @Test
  void excessFillsTheNearestZoneFirst() {
    double[] demand = {0.35, 0.35, 0.15, 0.15};
    double[] capacity = {0.125, 0.125, 0.375, 0.375};
    ZoneLatencies nearCd = latencies("a", "c", "b", "d");

    double[][] routing = SpillPlan.route(demand, capacity, nearCd.spillOrder(ZONES));

    assertThat(routing[0]).containsExactly(new double[] {0.125 / 0.35, 0, 0.225 / 0.35, 0}, within(1e-9));
    assertThat(routing[1]).containsExactly(new double[] {0, 0.125 / 0.35, 0, 0.225 / 0.35}, within(1e-9));
    assertThat(routing[2]).containsExactly(new double[] {0, 0, 1, 0}, within(1e-9));
  }

  /** The same fleet with the matrix the other way round sends a's excess to d instead. */
  @Test
  void theMatrixDecidesWhereTheExcessGoes() {
    double[] demand = {0.35, 0.35, 0.15, 0.15};
    double[] capacity = {0.125, 0.125, 0.375, 0.375};

    double[][] routing = SpillPlan.route(demand, capacity, latencies("a", "d", "b", "c").spillOrder(ZONES));

    assertThat(routing[0][3]).isCloseTo(0.225 / 0.35, within(1e-9));
    assertThat(routing[0][2]).isZero();
    assertThat(routing[1][2]).isCloseTo(0.225 / 0.35, within(1e-9));
  }

  /** A zone with no healthy capacity sends everything away; every row still sums to 1. */
  @Test
  void aZoneWithNothingLeftSpillsAllOfItsTraffic() {
    double[] demand = {0.4, 0.3, 0.3, 0.0};
    double[] capacity = {0.0, 0.5, 0.5, 0.0};

    double[][] routing = SpillPlan.route(demand, capacity, latencies("a", "b", "c", "d").spillOrder(ZONES));

    assertThat(routing[0][0]).isZero();
    assertThat(routing[0][1] + routing[0][2]).isCloseTo(1.0, within(1e-9));
    assertThat(routing[0][1]).as("b is nearer to a").isCloseTo(0.5, within(1e-9));
    assertThat(routing[3]).as("no demand from d, no capacity: nearest zone with capacity")
        .containsExactly(new double[] {0, 0, 1, 0}, within(1e-9));
  }

  /** When everything is overloaded, what no spare capacity can take spreads by capacity. */
  @Test
  void withNoSpareAnywhereTheResidueSpreadsByCapacity() {
    double[] demand = {0.6, 0.4};
    double[] capacity = {0.5, 0.5};

    double[][] routing = SpillPlan.route(demand, capacity, new int[][] {{1}, {0}});

    // a keeps 0.5 / 0.6 and spills 0.1 of all traffic into b's spare 0.1.
    assertThat(routing[0]).containsExactly(new double[] {0.5 / 0.6, 0.1 / 0.6}, within(1e-9));
    assertThat(routing[1]).containsExactly(new double[] {0, 1}, within(1e-9));
  }

  /** a-c and b-d are 1 ms apart, every other pair 10 ms. */
  private static ZoneLatencies latencies(String a, String nearA, String b, String nearB) {
    return new ZoneLatencies(List.of(
        new ZoneLatencies.Link(a, nearA, Duration.ofMillis(1)),
        new ZoneLatencies.Link(b, nearB, Duration.ofMillis(1)),
        new ZoneLatencies.Link(a, b, Duration.ofMillis(10)),
        new ZoneLatencies.Link(a, nearB, Duration.ofMillis(10)),
        new ZoneLatencies.Link(b, nearA, Duration.ofMillis(10)),
        new ZoneLatencies.Link(nearA, nearB, Duration.ofMillis(10))));
  }
}
