package io.trafficcoordinator.balance;

import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointStats;
import java.util.Arrays;
import java.util.List;

/**
 * Latency estimates strategies share: the neutral estimate for an endpoint with no samples yet (the
 * mean of its peers' current estimates, so that a new endpoint is neither flooded, as it would be
 * if assumed fast, nor starved, if assumed slow; {@link #UNMEASURED_NANOS} when nothing is measured,
 * which makes all estimates equal and leaves in-flight counts to decide), and the expected latency
 * that mean-based and forecasting strategies read.
 */
public final class NeutralLatency {

  /** What every endpoint is assumed to take before anything is measured: 1 ms. */
  public static final double UNMEASURED_NANOS = 1_000_000.0;

  private NeutralLatency() {}

  public static double of(List<Endpoint> endpoints, long nowNanos) {
    double sum = 0;
    int measured = 0;
    for (Endpoint endpoint : endpoints) {
      double latency = endpoint.stats().latencyNanos(nowNanos);
      if (!Double.isNaN(latency)) {
        sum += latency;
        measured++;
      }
    }
    return measured == 0 ? UNMEASURED_NANOS : sum / measured;
  }

  public static double of(Endpoint[] endpoints, long nowNanos) {
    return of(Arrays.asList(endpoints), nowNanos);
  }

  /** How fast an idle endpoint's forecast fades toward the neutral estimate. */
  static final double FADE_NANOS = 10e9;

  /**
   * The latency a strategy should expect from an endpoint, {@code horizonNanos} ahead: the latency
   * trend's forecast (horizon 0 gives the recent mean of answers) while the endpoint has not failed
   * within the stats window, its peak-EWMA estimate once it has (or while the trend has too few
   * samples), {@code neutralNanos} when nothing is measured.
   *
   * <p>The mean ranks endpoints more faithfully than a peak that sits on the latest outlier for
   * seconds; the peak took the failure penalty the moment a failure happened, which is what steers
   * traffic off a failing endpoint at once. The trend holds answers only, so an endpoint that failed
   * for a while is judged by its answers again once the failures leave the window. A forecast that
   * nobody has refreshed for a while fades toward the neutral estimate (halfway after 10 s without
   * a sample), so an avoided endpoint is tried again without looking better than an average one
   * (which would flood it after a long absence).
   */
  public static double expected(EndpointStats stats, long nowNanos, long horizonNanos, double neutralNanos) {
    double latency = Double.NaN;
    if (!stats.failedRecently(nowNanos)) {
      latency = stats.trend().fadedForecastNanos(horizonNanos, nowNanos, FADE_NANOS, neutralNanos);
    }
    if (Double.isNaN(latency)) {
      latency = stats.latencyNanos(nowNanos);
    }
    return Double.isNaN(latency) ? neutralNanos : latency;
  }
}
