package io.trafficcoordinator.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;

  @Test
  void percentilesAreTheUpperBoundOfTheirBucketWithinAQuarter() {
    LatencyHistogram histogram = new LatencyHistogram(60 * SECOND, 6);
    for (int i = 1; i <= 1000; i++) {
      histogram.record(i * MS / 10, SECOND);   // 0.1 ms .. 100 ms, evenly
    }
    assertThat(histogram.count(SECOND)).isEqualTo(1000);
    double p50 = histogram.quantileNanos(0.5, SECOND);
    double p99 = histogram.quantileNanos(0.99, SECOND);
    assertThat(p50).isBetween(50.0 * MS, 50.0 * MS * 1.25);
    assertThat(p99).isBetween(99.0 * MS, 99.0 * MS * 1.25);
  }

  @Test
  void bucketsAreContiguousAndTheWindowSlides() {
    assertThat(LatencyHistogram.bucketOf(100_000)).isZero();
    assertThat(LatencyHistogram.bucketOf(125_000)).isEqualTo(1);
    assertThat(LatencyHistogram.bucketOf(125_001)).isEqualTo(2);
    assertThat(LatencyHistogram.upperBoundNanos(2)).isCloseTo(156_250, within(1.0));
    assertThat(LatencyHistogram.bucketOf(Long.MAX_VALUE)).isEqualTo(61);

    LatencyHistogram histogram = new LatencyHistogram(60 * SECOND, 6);
    assertThat(histogram.quantileNanos(0.99, 0)).isNaN();
    histogram.record(5 * MS, 0);
    assertThat(histogram.count(59 * SECOND)).isEqualTo(1);
    assertThat(histogram.count(60 * SECOND)).isZero();
  }
}
