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

  /** A request's start time when its caller does not tell it: it then counts toward everything. */
  private static final long UNKNOWN_START = Long.MIN_VALUE;

  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final PeakEwma latency;
  private final OutcomeWindow window;
  /** Every round trip of the last minute, answers and failures, for reported percentiles. */
  private final LatencyHistogram roundTrips = new LatencyHistogram(60_000_000_000L, 6);
  /**
   * The answers of the last 10 s only: the endpoint's usual latency, which failures do not distort
   * and a cold start (first connections, a JIT warming up) does not skew for long.
   */
  private final LatencyHistogram answers = new LatencyHistogram(10_000_000_000L, 10);
  private final AnswerWatch answerWatch = new AnswerWatch();
  /** When it was last ejected or found stalled: requests sent before do not count again toward the breaker. */
  private volatile long judgedAtNanos;
  private volatile boolean judgedEver;
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

  /** The requests waiting for their answer, and how long the endpoint has been silent. */
  public AnswerWatch answerWatch() {
    return answerWatch;
  }

  /** The latency of the endpoint's answers over the last 10 s (failures left out). */
  public LatencyHistogram answers() {
    return answers;
  }

  /** The request succeeded after {@code rttNanos}; it counts everywhere (when it was sent is not known). */
  public void endSuccess(long rttNanos, long nowNanos) {
    endSuccess(rttNanos, nowNanos, UNKNOWN_START);
  }

  /**
   * The request sent at {@code startNanos} succeeded, answering after {@code rttNanos}. One sent
   * before the endpoint's last ejection is left out of the breaker: it was judged already.
   */
  public void endSuccess(long rttNanos, long nowNanos, long startNanos) {
    inFlight.decrementAndGet();
    latency.observe(rttNanos, nowNanos);
    trend.observe(rttNanos, nowNanos);
    window.recordSuccess(nowNanos);
    roundTrips.record(rttNanos, nowNanos);
    answers.record(rttNanos, nowNanos);
    CircuitBreaker b = breaker;
    if (b != null && !(b.isClosed() && sentBeforeEjection(startNanos))) {
      b.onResult(true, rttNanos, nowNanos);
    }
    // Read first: a healthy endpoint's successes then never write the shared counter.
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
    successTotal.increment();
  }

  /** The request failed; its latency counts as at least the failure penalty. It counts everywhere. */
  public void endFailure(long rttNanos, long nowNanos) {
    endFailure(rttNanos, nowNanos, UNKNOWN_START);
  }

  /**
   * The request sent at {@code startNanos} failed after {@code rttNanos}. One sent before the
   * endpoint's last ejection or stall verdict counts in the window, but neither in a closed breaker
   * nor in the run of failures, the peak latency or "failed recently": it was judged already, and
   * must not shut out or re-eject an endpoint back in service. A breaker that is not closed gets
   * every result (a half-open one waits for its trials' results).
   */
  public void endFailure(long rttNanos, long nowNanos, long startNanos) {
    inFlight.decrementAndGet();
    if (sentBeforeEjection(startNanos)) {
      window.recordFailure(nowNanos);
      roundTrips.record(rttNanos, nowNanos);
      failureTotal.increment();
      CircuitBreaker judged = breaker;
      if (judged != null && !judged.isClosed()) {
        judged.onResult(false, rttNanos, nowNanos);
      }
      return;
    }
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

  /**
   * A try waiting on this endpoint after it was found stalled was sent elsewhere: a failure for the
   * window and the run of failures (so that a black hole is ejected), but not for the breaker,
   * which must not also open on what the stall detection has handled.
   */
  public void endAbandoned(long rttNanos, long nowNanos) {
    inFlight.decrementAndGet();
    CircuitBreaker b = breaker;
    if (b != null && !b.isClosed()) {
      b.onResult(false, rttNanos, nowNanos); // a half-open trial given up: the circuit opens again
    }
    latency.observe(Math.max(rttNanos, failurePenaltyNanos), nowNanos);
    window.recordFailure(nowNanos);
    roundTrips.record(rttNanos, nowNanos);
    consecutiveFailures.incrementAndGet();
    lastFailureNanos = nowNanos;
    failedEver = true;
    failureTotal.increment();
  }

  private boolean sentBeforeEjection(long startNanos) {
    return startNanos != UNKNOWN_START && judgedEver && startNanos - judgedAtNanos < 0;
  }

  /**
   * Stall detection found the endpoint silent at {@code nowNanos}: it is not picked until
   * {@link #clearStall}, and requests sent before do not count toward its breaker.
   */
  public void markStalled(long nowNanos) {
    judgedAtNanos = nowNanos;
    judgedEver = true;
    answerWatch.setStalled(true);
  }

  /** Whether the endpoint was found stalled or ejected after {@code sinceNanos} (and by {@code nowNanos}). */
  public boolean judgedSince(long sinceNanos, long nowNanos) {
    return judgedEver && judgedAtNanos - sinceNanos >= 0
        && (answerWatch.isStalled() || isEjected(nowNanos));
  }

  /** When it was last found stalled or ejected; meaningful once {@link #judgedSince} could be true. */
  public long judgedAtNanos() {
    return judgedAtNanos;
  }

  /** The endpoint answers again (or owes nothing): it may be picked. */
  public void clearStall() {
    answerWatch.setStalled(false);
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
   * The endpoint is back from trouble (an ejection ended, a health check passed again, a stall
   * ended by its answers) at {@code nowNanos}: its run of failures is cleared, and it no longer
   * counts as having "failed recently", so that strategies that read that judge it by its answers
   * again at once rather than keep avoiding it for a window, and its peak-EWMA latency starts again
   * from its next answer (until then strategies take it at the neutral estimate of its peers). Its
   * outcome window is left alone:
   * success rates (the outlier sweep, health-weighted strategies) still see the failures for up to
   * the window's length.
   */
  public void freshStart(long nowNanos) {
    consecutiveFailures.set(0);
    failedEver = false;
    // The peak estimate still holds the failure penalty, decaying for tens of seconds: it would keep
    // the endpoint avoided by peak-based strategies, and, in the neutral estimate every strategy
    // derives from its peers, make a returning endpoint look slow. It starts again from its answers.
    latency.reset();
  }

  /**
   * Leaves the endpoint out from {@code nowNanos} until {@code untilNanos}: counts the ejection and
   * clears the run of failures (so that it starts afresh when it returns). Called by the service
   * balancer's rebuild, one at a time.
   */
  public void eject(long nowNanos, long untilNanos) {
    timesEjected.incrementAndGet();
    consecutiveFailures.set(0);
    judgedAtNanos = nowNanos;
    judgedEver = true;
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
      freshStart(nowNanos);
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
    freshStart(nowNanos);
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
