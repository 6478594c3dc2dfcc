package io.trafficcoordinator.balance.weighted;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class EdfCycleTest {

  @Test
  void spreadsAHeavyEndpointOut() {
    // Deadlines a: 0.1 0.3 0.5 0.7 0.9, b and c: 0.5; ties go to the lower index.
    assertThat(EdfCycle.cycle(new int[] {5, 1, 1})).containsExactly(0, 0, 0, 1, 2, 0, 0);
    // a: 0.25 0.75, b: 0.17 0.5 0.83.
    assertThat(EdfCycle.cycle(new int[] {2, 3})).containsExactly(1, 0, 1, 0, 1);
  }

  /**
   * Every endpoint appears exactly its weight's number of times, and never much later than its
   * ideal spacing: the gap between two of its picks is at most W / w + n (its ideal spacing plus
   * one pick of every other endpoint).
   */
  @Property(tries = 300)
  void everyEndpointGetsExactlyItsWeightEvenlySpread(
      @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 1, max = 200) Integer> weightList) {
    int[] weights = weightList.stream().mapToInt(Integer::intValue).toArray();
    int total = weightList.stream().mapToInt(Integer::intValue).sum();

    int[] cycle = EdfCycle.cycle(weights);

    assertThat(cycle).hasSize(total);
    int[] counts = new int[weights.length];
    int[] last = new int[weights.length];
    java.util.Arrays.fill(last, -1);
    for (int pick = 0; pick < cycle.length; pick++) {
      int i = cycle[pick];
      counts[i]++;
      if (last[i] >= 0) {
        assertThat(pick - last[i]).isLessThanOrEqualTo(total / weights[i] + weights.length);
      }
      last[i] = pick;
    }
    assertThat(counts).containsExactly(weights);
  }
}
