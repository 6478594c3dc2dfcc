package io.trafficcoordinator.balance.p2c;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.random.SeededRng;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class PowerOfTwoChoicesTest {

  @Property(tries = 500)
  void pairIsDistinctAndInRange(@ForAll @IntRange(min = 2, max = 10_000) int n, @ForAll long seed) {
    SeededRng rng = new SeededRng(seed);
    for (int i = 0; i < 20; i++) {
      long pair = PowerOfTwoChoices.drawPair(n, rng);
      int a = PowerOfTwoChoices.first(pair);
      int b = PowerOfTwoChoices.second(pair);
      assertThat(a).isBetween(0, n - 1);
      assertThat(b).isBetween(0, n - 1);
      assertThat(a).isNotEqualTo(b);
    }
  }

  @Property(tries = 50)
  void everyOrderedPairIsEquallyLikely(@ForAll @IntRange(min = 2, max = 5) int n, @ForAll long seed) {
    SeededRng rng = new SeededRng(seed);
    int draws = 60_000;
    int[][] counts = new int[n][n];
    for (int i = 0; i < draws; i++) {
      long pair = PowerOfTwoChoices.drawPair(n, rng);
      counts[PowerOfTwoChoices.first(pair)][PowerOfTwoChoices.second(pair)]++;
    }
    double expected = (double) draws / (n * (n - 1));
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        if (a != b) {
          // 60,000 draws over at most 20 pairs: 3,000+ each, so 10% is many standard deviations.
          assertThat((double) counts[a][b]).isBetween(expected * 0.9, expected * 1.1);
        }
      }
    }
  }

  @Property
  void lessLoadedWinsAndTiesGoToTheFirstDraw(@ForAll double first, @ForAll double second) {
    long pair = ((long) 3 << 32) | 7;
    int chosen = PowerOfTwoChoices.lessLoaded(pair, first, second);
    assertThat(chosen).isEqualTo(second < first ? 7 : 3);
  }
}
