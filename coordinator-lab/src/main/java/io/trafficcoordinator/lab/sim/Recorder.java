package io.trafficcoordinator.lab.sim;

import org.HdrHistogram.Histogram;

/**
 * What one run measured, over the requests that arrived after the warm-up.
 *
 * <p>The latency histogram holds every request as its client saw it: a failed request counts as
 * the scenario's timeout, the worst a client waits. Leaving failures out would reward a policy
 * for timing requests out (its slowest requests would vanish from its percentiles).
 */
public final class Recorder {

  private final Histogram latency = new Histogram(3_600_000_000_000L, 3);
  private long requests;
  private long errors;
  private long zoned;
  private long local;
  private double cost;
  private long lastErrorNanos = Long.MIN_VALUE;

  void request(boolean hasZone, boolean isLocal, double requestCost) {
    requests++;
    if (hasZone) {
      zoned++;
      if (isLocal) {
        local++;
      }
    }
    cost += requestCost;
  }

  void success(long latencyNanos) {
    latency.recordValue(Math.max(1L, latencyNanos));
  }

  void error(long nowNanos, long countedAsNanos) {
    errors++;
    lastErrorNanos = nowNanos;
    latency.recordValue(countedAsNanos);
  }

  public Histogram latency() {
    return latency;
  }

  public long requests() {
    return requests;
  }

  public long errors() {
    return errors;
  }

  public long successes() {
    return latency.getTotalCount() - errors;
  }

  /** Share of requests from callers with a zone that were served in that zone; NaN without zones. */
  public double localShare() {
    return zoned == 0 ? Double.NaN : (double) local / zoned;
  }

  /** Cost per 1,000 requests sent to endpoints. */
  public double costPerThousand() {
    return requests == 0 ? Double.NaN : cost / requests * 1000;
  }

  /** When the last measured request failed; {@link Long#MIN_VALUE} if none did. */
  public long lastErrorNanos() {
    return lastErrorNanos;
  }
}
