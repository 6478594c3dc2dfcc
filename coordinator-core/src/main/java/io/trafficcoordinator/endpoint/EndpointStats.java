package io.trafficcoordinator.endpoint;

import io.trafficcoordinator.load.PeakEwma;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What has been learned about one endpoint from the traffic it served: requests in flight, a
 * peak-EWMA latency, and successes and failures over a sliding window and since start.
 *
 * <p>It belongs to the endpoint, not to a strategy or a snapshot: it is carried across every
 * configuration change that keeps the endpoint, so switching strategy loses nothing learned.
 * Thread-safe and lock-free; updated by {@link io.trafficcoordinator.balance.Selection} completions.
 */
public final class EndpointStats {

  private final AtomicInteger inFlight = new AtomicInteger();
  private final PeakEwma latency;
  private final OutcomeWindow window;
  private final LongAdder successTotal = new LongAdder();
  private final LongAdder failureTotal = new LongAdder();
  private final long failurePenaltyNanos;

  public EndpointStats(StatsSettings settings) {
    this.latency = new PeakEwma(settings.latencyDecay().toNanos());
    this.window = new OutcomeWindow(settings.outcomeWindow().toNanos(), settings.outcomeBuckets());
    this.failurePenaltyNanos = settings.failurePenalty().toNanos();
  }

  /** A request was sent to this endpoint. */
  public void begin() {
    inFlight.incrementAndGet();
  }

  /** The request succeeded after {@code rttNanos}. */
  public void endSuccess(long rttNanos, long nowNanos) {
    inFlight.decrementAndGet();
    latency.observe(rttNanos, nowNanos);
    window.recordSuccess(nowNanos);
    successTotal.increment();
  }

  /** The request failed; its latency counts as at least the failure penalty. */
  public void endFailure(long rttNanos, long nowNanos) {
    inFlight.decrementAndGet();
    latency.observe(Math.max(rttNanos, failurePenaltyNanos), nowNanos);
    window.recordFailure(nowNanos);
    failureTotal.increment();
  }

  /** The request ended without telling anything about the endpoint (the client went away). */
  public void endIgnored() {
    inFlight.decrementAndGet();
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** Decayed peak-EWMA latency at {@code nowNanos}, or NaN before the first sample. */
  public double latencyNanos(long nowNanos) {
    return latency.costNanos(nowNanos);
  }

  public long windowSuccesses(long nowNanos) {
    return window.successes(nowNanos);
  }

  public long windowFailures(long nowNanos) {
    return window.failures(nowNanos);
  }

  /** Success ratio over the window, or 1.0 when the window is empty (no evidence of trouble). */
  public double successRate(long nowNanos) {
    long ok = window.successes(nowNanos);
    long failed = window.failures(nowNanos);
    long total = ok + failed;
    return total == 0 ? 1.0 : (double) ok / total;
  }

  public long totalSuccesses() {
    return successTotal.sum();
  }

  public long totalFailures() {
    return failureTotal.sum();
  }
}
