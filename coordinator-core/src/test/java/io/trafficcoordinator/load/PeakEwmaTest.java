package io.trafficcoordinator.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PeakEwmaTest {

  private static final long TAU = 10_000_000_000L;

  @Test
  void hasNoEstimateBeforeTheFirstSample() {
    PeakEwma ewma = new PeakEwma(TAU);

    assertThat(ewma.hasSamples()).isFalse();
    assertThat(ewma.costNanos(0)).isNaN();
  }

  @Test
  void aHigherSampleReplacesTheEstimateAtOnce() {
    PeakEwma ewma = new PeakEwma(TAU);
    ewma.observe(10_000_000, 0);

    ewma.observe(500_000_000, 1_000);

    assertThat(ewma.costNanos(1_000)).isEqualTo(500_000_000.0);
  }

  @Test
  void aLowerSampleMovesTheEstimateByTheElapsedWeight() {
    PeakEwma ewma = new PeakEwma(TAU);
    ewma.observe(100_000_000, 0);

    // One tau later: w = e^-1, cost = 100 ms * w + 10 ms * (1 - w).
    ewma.observe(10_000_000, TAU);

    double w = Math.exp(-1);
    assertThat(ewma.costNanos(TAU)).isCloseTo(100_000_000 * w + 10_000_000 * (1 - w), within(1e-3));
  }

  @Test
  void anIdleEstimateDecaysTowardZero() {
    PeakEwma ewma = new PeakEwma(TAU);
    ewma.observe(100_000_000, 0);

    assertThat(ewma.costNanos(2 * TAU)).isCloseTo(100_000_000 * Math.exp(-2), within(1e-3));
  }

  @Test
  void aSampleTakenOnTheSameInstantAsTheLastHasNoWeightYet() {
    PeakEwma ewma = new PeakEwma(TAU);
    ewma.observe(100, 5);

    ewma.observe(50, 5);

    assertThat(ewma.costNanos(5)).isEqualTo(100.0);
  }
}
