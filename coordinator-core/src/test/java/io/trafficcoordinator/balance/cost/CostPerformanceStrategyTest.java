package io.trafficcoordinator.balance.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.TestEndpoints;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CostPerformanceStrategyTest {

  private final ManualClock clock = new ManualClock(0L);

  /**
   * With α = 0 the pick is the cheapest endpoint whose expected latency meets the objective (ties
   * in cost broken by expected latency, as far as the two sampled show); when none meets it, the
   * fastest. Latencies are set by one measured request each; nothing is in flight.
   */
  @Property(tries = 200)
  void alphaZeroPicksTheCheapestEndpointThatMeetsTheObjective(
      @ForAll @Size(min = 2, max = 8) List<@IntRange(min = 1, max = 200) Integer> latenciesMillis,
      @ForAll @Size(min = 8, max = 8) List<@IntRange(min = 0, max = 20) Integer> costs,
      @ForAll @IntRange(min = 5, max = 150) int objectiveMillis) {
    EndpointSet set = fleet(latenciesMillis, costs);
    Picker picker = new CostPerformanceStrategy(new CostPerformanceConfig(Duration.ofMillis(objectiveMillis), 0.0), clock,
        RngSource.seeded(7)).newPicker(set);

    Selection selection = picker.pick(RequestContext.EMPTY);

    List<Endpoint> meeting = new ArrayList<>();
    for (Endpoint endpoint : set.endpoints()) {
      if (latencyMillis(endpoint) <= objectiveMillis) {
        meeting.add(endpoint);
      }
    }
    Endpoint picked = selection.endpoint();
    if (meeting.isEmpty()) {
      int fastest = set.endpoints().stream().mapToInt(CostPerformanceStrategyTest::latencyMillis).min().orElseThrow();
      assertThat(latencyMillis(picked)).as("none meets the objective: the fastest").isEqualTo(fastest);
    } else {
      double cheapest = meeting.stream().mapToDouble(Endpoint::costPerRequest).min().orElseThrow();
      assertThat(picked.costPerRequest()).as("cost").isEqualTo(cheapest);
      assertThat(latencyMillis(picked)).as("meets the objective").isLessThanOrEqualTo(objectiveMillis);
    }
  }

  /** With α = 1 cost does not matter: the pick is the lowest expected latency (costs all differ here). */
  @Property(tries = 100)
  void alphaOnePicksTheFastest(@ForAll @Size(min = 2, max = 8) List<@IntRange(min = 1, max = 200) Integer> latenciesMillis) {
    List<Integer> costs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      costs.add(8 - i);
    }
    EndpointSet set = fleet(latenciesMillis, costs);
    Picker picker = new CostPerformanceStrategy(new CostPerformanceConfig(Duration.ofMillis(500), 1.0), clock,
        RngSource.seeded(7)).newPicker(set);

    Endpoint picked = picker.pick(RequestContext.EMPTY).endpoint();

    assertThat(latencyMillis(picked)).isEqualTo(latenciesMillis.stream().min(Comparator.naturalOrder()).orElseThrow());
  }

  /**
   * Two endpoints of 10 ms, the cheap one first; objective 35 ms, α = 0. Expected latency is
   * 10 ms × (in flight + 1), so the cheap one takes requests until three are in flight, then the
   * dear one takes three; with both full, the lower expected latency wins.
   */
  @Test
  void theCheapEndpointFillsUpToTheObjectiveThenTrafficSpills() {
    EndpointSet set = fleet(List.of(10, 10), List.of(1, 2));
    Picker picker = new CostPerformanceStrategy(new CostPerformanceConfig(Duration.ofMillis(35), 0.0), clock,
        RngSource.seeded(1)).newPicker(set);

    StringBuilder order = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      order.append(picker.pick(RequestContext.EMPTY).endpoint().id());
    }

    assertThat(order.toString()).isEqualTo("e0e0e0e1e1e1e0");
  }

  private EndpointSet fleet(List<Integer> latenciesMillis, List<Integer> costs) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < latenciesMillis.size(); i++) {
      Endpoint endpoint = TestEndpoints.endpoint("e" + i, "", costs.get(i));
      TestEndpoints.answered(endpoint, Duration.ofMillis(latenciesMillis.get(i)).toNanos(), 0L);
      endpoints.add(endpoint);
    }
    return new EndpointSet(1, endpoints);
  }

  private static int latencyMillis(Endpoint endpoint) {
    return (int) Math.round(endpoint.stats().latencyNanos(0L) / 1e6);
  }
}
