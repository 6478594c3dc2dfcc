package io.trafficcoordinator.balance.performance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.TestEndpoints;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.ManualClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class WeightedPerformanceStrategyTest {

  private static final WeightedPerformanceConfig NO_SLOW_START =
      new WeightedPerformanceConfig(Duration.ofSeconds(1), 10.0, 0.5, Duration.ZERO, 0.1);

  /**
   * Endpoints of fixed latencies serve one request at a time for 30 virtual seconds. Performance is
   * 1 / latency, so once the damped weights have converged (half the distance per interval: within
   * 0.1 % after ten intervals) each endpoint's share of the last 10 s must be its 1/latency share
   * of the total, within 2 percentage points (weights are quantised to 0.1 %; the cycle position
   * at the window's edges adds one pick per endpoint).
   */
  @Property(tries = 30)
  void sharesFollowMeasuredSpeed(@ForAll @Size(min = 2, max = 5) List<@IntRange(min = 5, max = 40) Integer> latenciesMillis) {
    ManualClock clock = new ManualClock(0L);
    EndpointSet set = TestEndpoints.equal(latenciesMillis.size());
    Picker picker = new WeightedPerformanceStrategy(NO_SLOW_START, clock, RngSource.seeded(3)).newPicker(set);
    Map<String, Integer> latencyOf = new HashMap<>();
    for (int i = 0; i < set.size(); i++) {
      latencyOf.put(set.get(i).id(), latenciesMillis.get(i));
    }
    Map<String, Integer> picks = new HashMap<>();
    int counted = 0;
    while (clock.nanoTime() < Duration.ofSeconds(30).toNanos()) {
      Selection selection = picker.pick(RequestContext.EMPTY);
      clock.advance(Duration.ofMillis(latencyOf.get(selection.endpoint().id())));
      selection.succeed();
      if (clock.nanoTime() > Duration.ofSeconds(20).toNanos()) {
        picks.merge(selection.endpoint().id(), 1, Integer::sum);
        counted++;
      }
    }

    double inverseTotal = latenciesMillis.stream().mapToDouble(l -> 1.0 / l).sum();
    for (Endpoint endpoint : set.endpoints()) {
      double expected = (1.0 / latencyOf.get(endpoint.id())) / inverseTotal;
      double actual = picks.getOrDefault(endpoint.id(), 0) / (double) counted;
      assertThat(actual).as("share of %s (latency %d ms)", endpoint.id(), latencyOf.get(endpoint.id()))
          .isCloseTo(expected, within(0.02));
    }
  }

  /**
   * Endpoint b joins at t = 0 with a 10 s slow-start window and a 10 % floor, beside a. Nothing is
   * measured, so performance is neutral and b's weight is its slow-start factor
   * max(0.1, t / 10 s): in each virtual second its share of one full cycle is factor / (1 + factor).
   */
  @Property(tries = 5)
  void slowStartRampsTheNewEndpointLinearly(@ForAll @IntRange(min = 0, max = 100) int seed) {
    ManualClock clock = new ManualClock(0L);
    WeightedPerformanceConfig config = new WeightedPerformanceConfig(Duration.ofSeconds(1), 10.0, 0.5, Duration.ofSeconds(10), 0.1);
    EndpointSet set = TestEndpoints.weighted(1, 1);
    set.get(1).stats().markAvailable(0L);
    Picker picker = new WeightedPerformanceStrategy(config, clock, RngSource.seeded(seed)).newPicker(set);

    for (int second = 0; second <= 12; second++) {
      clock.advance(Duration.ofSeconds(1));
      int toB = 0;
      int cycle = 1000;
      for (int i = 0; i < cycle; i++) {
        Selection selection = picker.pick(RequestContext.EMPTY);
        selection.ignore();
        if (selection.endpoint().id().equals("b")) {
          toB++;
        }
      }
      double factor = Math.max(0.1, Math.min(1.0, (second + 1) / 10.0));
      assertThat(toB / (double) cycle).as("b's share at %d s", second + 1)
          .isCloseTo(factor / (1 + factor), within(0.002));
    }
  }

  /** Weights stay within maxWeightRatio of the mean: a 100x slower endpoint still gets a trickle. */
  @Example
  void aVerySlowEndpointKeepsAShareBoundedByTheRatio() {
    ManualClock clock = new ManualClock(0L);
    EndpointSet set = TestEndpoints.weighted(1, 1);
    Picker picker = new WeightedPerformanceStrategy(NO_SLOW_START, clock, RngSource.seeded(1)).newPicker(set);
    TestEndpoints.answered(set.get(0), Duration.ofMillis(1).toNanos(), 0L);
    TestEndpoints.answered(set.get(1), Duration.ofMillis(100).toNanos(), 0L);
    clock.advance(Duration.ofSeconds(1));

    int toSlow = 0;
    for (int i = 0; i < 1000; i++) {
      Selection selection = picker.pick(RequestContext.EMPTY);
      selection.ignore();
      toSlow += selection.endpoint().id().equals("b") ? 1 : 0;
    }

    // Mean performance is (1 + 0.01) / 2 per ms: a's target is 1.98, b's 0.0198, clamped up to
    // 1 / maxWeightRatio = 0.1. b's share is 0.1 / 2.08 = 4.8 %: 48 of a 1000-unit cycle.
    assertThat(toSlow).isEqualTo(48);
  }
}
