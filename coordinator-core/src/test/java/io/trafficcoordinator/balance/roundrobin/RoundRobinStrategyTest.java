package io.trafficcoordinator.balance.roundrobin;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.balance.NoEndpointReason;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.TestEndpoints;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.random.ScriptedRng;
import io.trafficcoordinator.time.ManualClock;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RoundRobinStrategyTest {

  private final ManualClock clock = new ManualClock();

  /** A strategy whose pickers all start at the beginning of their cycle. */
  private RoundRobinStrategy fromTheStart() {
    return new RoundRobinStrategy(clock, () -> new ScriptedRng(0));
  }

  private static String picks(Picker picker, int count) {
    StringBuilder sequence = new StringBuilder();
    for (int i = 0; i < count; i++) {
      Selection selection = picker.pick(RequestContext.EMPTY);
      sequence.append(selection.endpoint().id());
      selection.succeed();
    }
    return sequence.toString();
  }

  @Test
  void weightsFiveOneOneGiveNginxSmoothSequence() {
    Picker picker = fromTheStart().newPicker(TestEndpoints.weighted(5, 1, 1));

    assertThat(picks(picker, 14)).isEqualTo("aabacaa" + "aabacaa");
  }

  @Test
  void equalWeightsAlternateInOrder() {
    Picker picker = fromTheStart().newPicker(TestEndpoints.weighted(1, 1, 1));

    assertThat(picks(picker, 6)).isEqualTo("abcabc");
  }

  @Test
  void commonFactorOfWeightsDoesNotLengthenTheCycle() {
    assertThat(SmoothWeightedSchedule.cycle(new int[] {10, 20})).containsExactly(1, 0, 1);
  }

  @Test
  void hugeWeightsAreScaledToBoundedCycle() {
    int[] weights = new int[100];
    java.util.Arrays.fill(weights, 999);
    weights[0] = 1000;

    int[] cycle = SmoothWeightedSchedule.cycle(weights);

    assertThat(cycle.length).isLessThanOrEqualTo(SmoothWeightedSchedule.MAX_CYCLE);
  }

  @Test
  void pickerStartsWhereItsRandomSourceSays() {
    RoundRobinStrategy strategy = new RoundRobinStrategy(clock, () -> new ScriptedRng(2));

    assertThat(picks(strategy.newPicker(TestEndpoints.weighted(1, 1, 1)), 3)).isEqualTo("cab");
  }

  @Test
  void emptyServiceGivesNoneWithReason() {
    Selection selection = fromTheStart().newPicker(EndpointSet.empty()).pick(RequestContext.EMPTY);

    assertThat(selection.isNone()).isTrue();
    assertThat(selection.reason()).isEqualTo(NoEndpointReason.NO_ENDPOINTS);
  }

  @Test
  void eachPickCountsInFlightUntilCompleted() {
    EndpointSet set = TestEndpoints.weighted(1);
    Picker picker = fromTheStart().newPicker(set);

    Selection first = picker.pick(RequestContext.EMPTY);
    Selection second = picker.pick(RequestContext.EMPTY);
    assertThat(set.get(0).stats().inFlight()).isEqualTo(2);

    first.succeed();
    first.fail(); // a second completion of the same pick is ignored
    second.ignore();
    assertThat(set.get(0).stats().inFlight()).isZero();
    assertThat(set.get(0).stats().totalSuccesses()).isEqualTo(1);
    assertThat(set.get(0).stats().totalFailures()).isZero();
  }

  @Property(tries = 200)
  void everyFullCycleGivesEachEndpointExactlyItsWeight(
      @ForAll @Size(min = 1, max = 12) java.util.List<@IntRange(min = 1, max = 50) Integer> weights,
      @ForAll @IntRange(min = 1, max = 4) int cycles,
      @ForAll long seed) {
    int[] w = weights.stream().mapToInt(Integer::intValue).toArray();
    RoundRobinStrategy strategy = new RoundRobinStrategy(clock, RngSource.seeded(seed));
    Picker picker = strategy.newPicker(TestEndpoints.weighted(w));
    int total = java.util.Arrays.stream(w).sum();

    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < total * cycles; i++) {
      Selection s = picker.pick(RequestContext.EMPTY);
      counts.merge(s.endpoint().id(), 1, Integer::sum);
      s.succeed();
    }

    for (int i = 0; i < w.length; i++) {
      String id = String.valueOf((char) ('a' + i));
      // Shares are exact per cycle when the weights share no factor; with a common factor the
      // cycle is shorter and the whole-number count still holds over total * cycles picks.
      assertThat(counts.getOrDefault(id, 0)).as("picks of %s", id).isEqualTo(w[i] * cycles);
    }
  }

  @Property(tries = 100)
  void noEndpointIsPickedTwiceInARowWhileAnotherHasMoreWeightLeft(
      @ForAll @IntRange(min = 2, max = 20) int heavy) {
    // Burst-freedom: with weights (heavy, heavy), the two alternate strictly.
    Picker picker = fromTheStart().newPicker(TestEndpoints.weighted(heavy, heavy));
    String sequence = picks(picker, 2 * heavy);
    assertThat(sequence).doesNotContain("aa").doesNotContain("bb");
  }
}
