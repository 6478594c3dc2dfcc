package io.trafficcoordinator.balance.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.TestEndpoints;
import io.trafficcoordinator.random.ScriptedRng;
import io.trafficcoordinator.time.ManualClock;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class AdaptiveStrategyTest {

  /**
   * With the draws scripted, the three candidates are distinct and in range, and the pick is the
   * one with the lowest latency × (in flight + 1) among them.
   */
  @Property(tries = 300)
  void picksTheLowestExpectedDelayOfThreeDistinctCandidates(
      @ForAll @Size(min = 3, max = 12) List<@IntRange(min = 1, max = 100) Integer> latenciesMillis,
      @ForAll @Size(min = 12, max = 12) List<@IntRange(min = 0, max = 5) Integer> inFlight,
      @ForAll @IntRange(min = 0, max = 1000) int d1, @ForAll @IntRange(min = 0, max = 1000) int d2,
      @ForAll @IntRange(min = 0, max = 1000) int d3) {
    ManualClock clock = new ManualClock(0L);
    int n = latenciesMillis.size();
    EndpointSet set = TestEndpoints.equal(n);
    for (int i = 0; i < n; i++) {
      TestEndpoints.answered(set.get(i), latenciesMillis.get(i) * 1_000_000L, 0L);
      for (int k = 0; k < inFlight.get(i); k++) {
        set.get(i).stats().begin();
      }
    }
    int a = d1 % n;
    int b = d2 % (n - 1);
    int c = d3 % (n - 2);
    ScriptedRng rng = new ScriptedRng(a, b, c);
    Picker picker = new AdaptiveStrategy(clock, () -> rng).newPicker(set);

    double[] costs = set.endpoints().stream().mapToDouble(AdaptiveStrategyTest::cost).toArray();
    Endpoint picked = picker.pick(RequestContext.EMPTY).endpoint();

    // The same skipping rule, written out: b skips a, c skips both.
    int second = b >= a ? b + 1 : b;
    List<Integer> taken = new ArrayList<>(List.of(a, second));
    taken.sort(null);
    int third = c;
    for (int t : taken) {
      if (third >= t) {
        third++;
      }
    }
    List<Integer> candidates = List.of(a, second, third);
    assertThat(candidates).doesNotHaveDuplicates().allMatch(i -> i >= 0 && i < n);
    double best = candidates.stream().mapToDouble(i -> costs[i]).min().orElseThrow();
    assertThat(costs[set.endpoints().indexOf(picked)]).isEqualTo(best);
  }

  /** Two endpoints: both are always candidates, and the cheaper wins. */
  @Property(tries = 20)
  void withTwoEndpointsBothAreCompared(@ForAll @IntRange(min = 1, max = 100) int slowMillis) {
    ManualClock clock = new ManualClock(0L);
    EndpointSet set = TestEndpoints.equal(2);
    TestEndpoints.answered(set.get(0), (slowMillis + 1) * 1_000_000L, 0L);
    TestEndpoints.answered(set.get(1), 1_000_000L, 0L);
    Picker picker = new AdaptiveStrategy(clock, () -> new io.trafficcoordinator.random.SeededRng(slowMillis)).newPicker(set);
    for (int i = 0; i < 10; i++) {
      Selection selection = picker.pick(RequestContext.EMPTY);
      assertThat(selection.endpoint().id()).isEqualTo("b");
      selection.ignore();
    }
  }

  /**
   * Fifty picks from {a, b, c} teach the picker that 1 ms (endpoint a) is what it usually gets. Then
   * the draw is {b, c, d}, all at 10 ms: more than 1.5 times the usual, so it looks at six more
   * (here: all five) and takes a, which the draw missed.
   */
  @Example
  void anUnusuallyBadDrawWidensTheLook() {
    ManualClock clock = new ManualClock(0L);
    EndpointSet set = TestEndpoints.equal(5);
    TestEndpoints.answered(set.get(0), 1_000_000L, 0L);
    for (int i = 1; i < 5; i++) {
      TestEndpoints.answered(set.get(i), 10_000_000L, 0L);
    }
    int[] script = new int[153];
    java.util.Arrays.fill(script, 150, 153, 1);
    Picker picker = new AdaptiveStrategy(clock, () -> new ScriptedRng(script)).newPicker(set);
    for (int i = 0; i < 50; i++) {
      Selection selection = picker.pick(RequestContext.EMPTY);
      assertThat(selection.endpoint().id()).isEqualTo("a");
      selection.ignore();
    }

    assertThat(picker.pick(RequestContext.EMPTY).endpoint().id()).isEqualTo("a");
  }

  private static double cost(Endpoint endpoint) {
    return endpoint.stats().latencyNanos(0L) * (endpoint.stats().inFlight() + 1);
  }
}
