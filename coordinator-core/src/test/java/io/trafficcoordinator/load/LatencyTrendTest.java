package io.trafficcoordinator.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyTrendTest {

  private static final long MS = 1_000_000L;
  private static final long BUCKET = 250 * MS;

  @Test
  void noForecastBeforeTwoBuckets() {
    LatencyTrend trend = new LatencyTrend(BUCKET);
    assertThat(trend.forecastNanos(0)).isNaN();
    trend.observe(10 * MS, 0);
    assertThat(trend.forecastNanos(0)).isNaN();
    trend.observe(10 * MS, BUCKET);
    assertThat(trend.forecastNanos(0)).isCloseTo(10 * MS, within(1.0));
  }

  /** A steady latency forecasts itself, whatever the horizon. */
  @Test
  void steadyLatencyHasNoTrend() {
    LatencyTrend trend = new LatencyTrend(BUCKET);
    for (int b = 0; b < 40; b++) {
      trend.observe(10 * MS, b * BUCKET);
      trend.observe(10 * MS, b * BUCKET + 1);
    }
    assertThat(trend.forecastNanos(2_000 * MS)).isCloseTo(10 * MS, within(1.0));
  }

  /**
   * Latency climbing 1 ms per bucket (4 ms/s): after 40 buckets Holt's trend has converged to the
   * slope, so the forecast 2 s (8 buckets) ahead is the current level plus 8 ms, within 0.5 ms.
   */
  @Test
  void risingLatencyIsExtrapolated() {
    LatencyTrend trend = new LatencyTrend(BUCKET);
    for (int b = 0; b < 40; b++) {
      trend.observe((10 + b) * MS, b * BUCKET);
    }
    // The open bucket (49 ms) counts as closed when reading; Holt follows a linear trend without
    // lag once converged, so the level is 49 ms and the trend 1 ms per bucket.
    assertThat(trend.forecastNanos(2_000 * MS) / MS).isCloseTo(49 + 8, within(1.0));
  }

  /** Samples landing in the same bucket weigh as one observation of their mean. */
  @Test
  void samplesInOneBucketAreAveraged() {
    LatencyTrend trend = new LatencyTrend(BUCKET);
    trend.observe(10 * MS, 0);
    trend.observe(10 * MS, BUCKET);
    trend.observe(30 * MS, BUCKET + 1);
    // Level: 0.5 * 20 + 0.5 * (10 + 0) = 15; trend: 15 - 10 = 5 per bucket.
    assertThat(trend.forecastNanos(0) / MS).isCloseTo(15, within(1e-6));
    assertThat(trend.forecastNanos(BUCKET) / MS).isCloseTo(20, within(1e-6));
  }

  /**
   * Two samples five seconds (20 buckets) apart: the slope is spread over the 20 buckets between
   * them, not taken as one step. Level 0.5 * 20 + 0.5 * 10 = 15; slope (15 - 10) / 20 = 0.25 per
   * bucket; 2 s (8 buckets) ahead: 17.
   */
  @Test
  void bucketsWithoutSamplesAreBridgedNotIgnored() {
    LatencyTrend trend = new LatencyTrend(BUCKET);
    trend.observe(10 * MS, 0);
    trend.observe(20 * MS, 20 * BUCKET);
    assertThat(trend.forecastNanos(2_000 * MS) / MS).isCloseTo(17, within(1e-6));
  }
}
