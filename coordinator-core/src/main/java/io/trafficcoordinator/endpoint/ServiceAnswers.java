package io.trafficcoordinator.endpoint;

import io.trafficcoordinator.load.LatencyHistogram;
import java.util.List;

/**
 * The recent answers of a whole service, merged from its endpoints' histograms: what stall
 * detection and the derived per-try timeout take as the service's usual latency.
 */
public final class ServiceAnswers {

  private ServiceAnswers() {}

  /**
   * The {@code quantile} of the answers of {@code endpoints} in the window ending at {@code nowNanos},
   * or NaN when they hold fewer than {@code minimum} answers.
   */
  public static double quantileNanos(List<Endpoint> endpoints, double quantile, long minimum, long nowNanos) {
    long[] counts = LatencyHistogram.emptyCounts();
    for (Endpoint endpoint : endpoints) {
      endpoint.stats().answers().addTo(counts, nowNanos);
    }
    long total = 0;
    for (long count : counts) {
      total += count;
    }
    return total < minimum ? Double.NaN : LatencyHistogram.quantileNanos(counts, quantile);
  }
}
