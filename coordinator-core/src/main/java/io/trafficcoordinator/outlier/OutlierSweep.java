package io.trafficcoordinator.outlier;

import io.trafficcoordinator.endpoint.Endpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The interval detectors of outlier ejection (Envoy's success-rate and failure-percentage
 * detectors), over each endpoint's successes and failures in its sliding window:
 *
 * <pre>
 *   candidates  = endpoints not ejected with requests(e) &gt;= requestVolume
 *   success rate: when |candidates| &gt;= minimumHosts,
 *                 eject e when rate(e) &lt; mean(rate) − stdevFactor × stdev(rate)
 *   failure %:    when |candidates| &gt;= minimumHosts,
 *                 eject e when 100 × failures(e) / requests(e) &gt;= threshold
 * </pre>
 *
 * <p>The success-rate detector finds the one endpoint that is worse than its peers even when all
 * are somewhat degraded (a bad host among good ones), and never fires when all fail alike: then the
 * standard deviation is small and no one is below the mean by much. A minimum of hosts keeps two
 * endpoints from judging each other on noise. The failure-percentage detector is absolute, for
 * small services where statistics over peers mean little. Pure; the caller applies the cap.
 */
public final class OutlierSweep {

  private OutlierSweep() {}

  /** The endpoints to eject at {@code nowNanos}, in endpoint order, with the detector that found each. */
  public static Map<Endpoint, EjectionReason> outliers(OutlierConfig config, List<Endpoint> endpoints, long nowNanos) {
    Map<Endpoint, EjectionReason> found = new LinkedHashMap<>();
    OutlierConfig.SuccessRate successRate = config.successRate();
    if (successRate.enabled()) {
      successRateOutliers(successRate, endpoints, nowNanos, found);
    }
    OutlierConfig.FailurePercentage failures = config.failurePercentage();
    if (failures.enabled()) {
      failurePercentageOutliers(failures, endpoints, nowNanos, found);
    }
    return found;
  }

  private static void successRateOutliers(OutlierConfig.SuccessRate config, List<Endpoint> endpoints, long now,
      Map<Endpoint, EjectionReason> found) {
    double[] rates = new double[endpoints.size()];
    int candidates = 0;
    double sum = 0;
    for (int i = 0; i < rates.length; i++) {
      rates[i] = rateOf(endpoints.get(i), config.requestVolume(), now);
      if (!Double.isNaN(rates[i])) {
        candidates++;
        sum += rates[i];
      }
    }
    if (candidates < config.minimumHosts()) {
      return;
    }
    double mean = sum / candidates;
    double squares = 0;
    for (double rate : rates) {
      if (!Double.isNaN(rate)) {
        squares += (rate - mean) * (rate - mean);
      }
    }
    double threshold = mean - config.stdevFactor() * Math.sqrt(squares / candidates);
    for (int i = 0; i < rates.length; i++) {
      if (!Double.isNaN(rates[i]) && rates[i] < threshold) {
        found.putIfAbsent(endpoints.get(i), EjectionReason.SUCCESS_RATE);
      }
    }
  }

  private static void failurePercentageOutliers(OutlierConfig.FailurePercentage config, List<Endpoint> endpoints,
      long now, Map<Endpoint, EjectionReason> found) {
    int candidates = 0;
    for (Endpoint endpoint : endpoints) {
      if (!Double.isNaN(rateOf(endpoint, config.requestVolume(), now))) {
        candidates++;
      }
    }
    if (candidates < config.minimumHosts()) {
      return;
    }
    for (Endpoint endpoint : endpoints) {
      double rate = rateOf(endpoint, config.requestVolume(), now);
      if (!Double.isNaN(rate) && 100 * (1 - rate) >= config.threshold()) {
        found.putIfAbsent(endpoint, EjectionReason.FAILURE_PERCENTAGE);
      }
    }
  }

  /** The endpoint's success rate in its window, or NaN when it is ejected or saw fewer than {@code volume} requests. */
  private static double rateOf(Endpoint endpoint, int volume, long now) {
    if (endpoint.stats().isEjected(now)) {
      return Double.NaN;
    }
    long successes = endpoint.stats().windowSuccesses(now);
    long total = successes + endpoint.stats().windowFailures(now);
    return total < volume ? Double.NaN : successes / (double) total;
  }
}
