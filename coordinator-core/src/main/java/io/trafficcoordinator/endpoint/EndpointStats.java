package io.trafficcoordinator.endpoint;

import io.trafficcoordinator.breaker.CircuitBreaker;
import io.trafficcoordinator.load.LatencyHistogram;
import io.trafficcoordinator.load.LatencyTrend;
import io.trafficcoordinator.load.PeakEwma;
import io.trafficcoordinator.window.OutcomeWindow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What has been learned about one endpoint from the traffic it served and its health checks:
 * requests in flight, a peak-EWMA latency, a latency trend, successes and failures over a sliding
 * window and since start, the active-check verdict, and since when it has been available (for slow
 * start).
 *
 * <p>It belongs to the endpoint, not to a strategy or a snapshot: it is carried across every
 * configuration change that keeps the endpoint, so switching strategy loses nothing learned.
 * Thread-safe and lock-free; updated by {@link io.trafficcoordinator.balance.Selection} completions.
 */
public final class EndpointStats {

  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final PeakEwma latency;
  private final OutcomeWindow window;
  /** Every round trip of the last minute, answers and failures, for reported percentiles. */
  private final LatencyHistogram roundTrips = new LatencyHistogram(60_000_000_000L, 6);
  private final LongAdder successTotal = new LongAdder();
  private final LongAdder failureTotal = new LongAdder();
  private final long failurePenaltyNanos;
  private final LatencyTrend trend;
  private final ActiveHealth activeHealth = new ActiveHealth();
  private volatile long availableSinceNanos = Long.MIN_VALUE;
  private volatile long lastFailureNanos;
  private volatile boolean failedEver;
  private volatile long ejectedUntilNanos;
  private volatile CircuitBreaker breaker;
  private volatile boolean everEjected;
  private final AtomicInteger timesEjected = new AtomicInteger();
  private final long windowNanos;

  public EndpointStats(StatsSettings settings) {
    this.latency = new PeakEwma(settings.latencyDecay().toNanos());
    this.trend = new LatencyTrend(settings.trendBucket().toNanos());
    this.windowNanos = settings.outcomeWindow().toNanos();
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
    trend.observe(rttNanos, nowNanos);
    window.recordSuccess(nowNanos);
    roundTrips.record(rttNanos, nowNanos);
    CircuitBreaker b = breaker;
    if (b != null) {
      b.onResult(true, rttNanos, nowNanos);
    }
    // Read first: a healthy endpoint's successes then never write the shared counter.
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
    successTotal.increment();
  }

  /** The request failed; its latency counts as at least the failure penalty. */
  public void endFailure(long rttNanos, long nowNanos) {
    inFlight.decrementAndGet();
    // The penalty goes into the peak estimate, which reacts at once; the trend models the latency
    // of answers only, so that an endpoint that failed for a while is not remembered as slow once
    // it answers again (estimators check for recent failures and use the peak then).
    latency.observe(Math.max(rttNanos, failurePenaltyNanos), nowNanos);
    window.recordFailure(nowNanos);
    roundTrips.record(rttNanos, nowNanos);
    consecutiveFailures.incrementAndGet();
    CircuitBreaker b = breaker;
    if (b != null) {
      b.onResult(false, rttNanos, nowNanos);
    }
    lastFailureNanos = nowNanos;
    failedEver = true;
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

  /**
   * Whether a request failed within the outcome window before {@code nowNanos}: one or two volatile
   * reads, for strategies that judge a failing endpoint differently on the request path.
   */
  public boolean failedRecently(long nowNanos) {
    return failedEver && nowNanos - lastFailureNanos < windowNanos;
  }

  /**
   * Leaves the endpoint out until {@code untilNanos}: counts the ejection and clears the run of
   * failures (so that it starts afresh when it returns). Called by the service balancer's rebuild, one at a time.
   */
  public void eject(long untilNanos) {
    timesEjected.incrementAndGet();
    consecutiveFailures.set(0);
    ejectedUntilNanos = untilNanos;
    everEjected = true;
  }

  /**
   * Ends the ejection in force at {@code nowNanos} (an active health check passed); the balancer's
   * next rebuild sees it back. No effect when the endpoint is not ejected.
   */
  public void endEjection(long nowNanos) {
    if (isEjected(nowNanos)) {
      ejectedUntilNanos = nowNanos;
    }
  }

  /** Whether passive outlier detection has the endpoint out at {@code nowNanos}. */
  public boolean isEjected(long nowNanos) {
    return everEjected && nowNanos - ejectedUntilNanos < 0;
  }

  /** When the current or last ejection ends. */
  public long ejectedUntilNanos() {
    return ejectedUntilNanos;
  }

  /** How many times the endpoint has been ejected. */
  public int timesEjected() {
    return timesEjected.get();
  }

  /** One interval in service: the next ejection, if any, will be one step shorter. */
  public void forgiveEjection() {
    timesEjected.updateAndGet(times -> Math.max(0, times - 1));
  }

  /** Forgets the current run of failures (an endpoint back from ejection starts afresh). */
  public void clearFailureStreak() {
    consecutiveFailures.set(0);
  }

  /** The endpoint's circuit breaker; null when its service has none. */
  public CircuitBreaker breaker() {
    return breaker;
  }

  /** Installs (or, with null, removes) the circuit breaker; by the configuration path only. */
  public void installBreaker(CircuitBreaker next) {
    breaker = next;
  }

  /** Failures since the last success: the fastest sign that an endpoint is down. */
  public int consecutiveFailures() {
    return consecutiveFailures.get();
  }

  /** The latency trend of recent successful requests, for strategies that forecast or want the mean. */
  public LatencyTrend trend() {
    return trend;
  }

  /** The active health checks' verdict and recent results. */
  public ActiveHealth activeHealth() {
    return activeHealth;
  }

  /**
   * Since when the endpoint has been taking traffic: {@link Long#MIN_VALUE} ("always") for
   * endpoints present from the start, the time it joined or last recovered otherwise. Slow start
   * ramps an endpoint's weight up from this moment.
   */
  public long availableSinceNanos() {
    return availableSinceNanos;
  }

  /**
   * The endpoint joined the service or recovered at {@code nowNanos}. A recovery confirmed by the
   * active checks also clears the run of failures, as Envoy un-ejects a host on a passing check.
   */
  public void markAvailable(long nowNanos) {
    availableSinceNanos = nowNanos;
    consecutiveFailures.set(0);
  }

  /** The round trips of the last minute, for reports (p99 in the system status). */
  public LatencyHistogram roundTrips() {
    return roundTrips;
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
