package io.trafficcoordinator.load;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Forecasts an endpoint's latency a little ahead with Holt's linear trend (double exponential
 * smoothing; Holt 1957) over fixed time buckets.
 *
 * <pre>
 *   at each bucket b with samples (mean x_b), k buckets after the previous one with samples:
 *     level_b = a * x_b + (1 - a) * (level + min(k, 4) * trend)
 *     trend_b = c * (level_b - level) / k + (1 - c) * trend
 *   forecast h buckets ahead: level + h * max(trend, 0)
 * </pre>
 *
 * <p>Samples are folded into the current bucket and the model steps once per bucket, so bursts of
 * completions at the same instant weigh as one observation of that moment; buckets without samples
 * are bridged by k, so the trend is a slope per unit of time, not per observation, and an endpoint
 * sampled rarely is not extrapolated wildly. Where peak EWMA reacts to a slow answer once it has
 * happened, the trend sees latency climbing (a queue building, a leak, a warming cache going cold)
 * and the forecast crosses a steady peer's latency before the climbing endpoint's latency has
 * doubled. A falling trend is not extrapolated: the forecast is never below the level.
 *
 * <p>Before two buckets have samples there is no forecast (NaN). Lock-free: the model is one
 * immutable value swapped by compare-and-set; reading allocates nothing.
 */
public final class LatencyTrend {

  /**
   * The model after its last closed bucket (level, trend, steps), the open bucket, and the view a
   * reader gets (the open bucket counted as closed), computed when the model changes so that
   * reading is one volatile read and a multiply.
   */
  private record Model(
      double level, double trend, int steps, long steppedBucket,
      long bucket, double bucketSum, int bucketCount, long lastSampleNanos,
      double viewLevel, double viewTrend, int viewSteps) {}

  /**
   * The model after its last closed bucket (level, trend, steps), its open bucket, and the view a
   * reader gets (the open bucket counted as closed), computed here, when the model changes, so that
   * reading is one volatile read and a multiply.
   */
  private static Model model(double level, double trend, int steps, long steppedBucket,
      long bucket, double bucketSum, int bucketCount, long lastSampleNanos) {
    if (bucketCount == 0) {
      return new Model(level, trend, steps, steppedBucket, bucket, bucketSum, 0, lastSampleNanos, level, trend, steps);
    }
    long k = Math.max(1L, bucket - steppedBucket);
    double openLevel = steppedLevel(level, trend, steps, bucketSum / bucketCount, k);
    return new Model(level, trend, steps, steppedBucket, bucket, bucketSum, bucketCount, lastSampleNanos,
        openLevel, steppedTrend(level, trend, steps, openLevel, k), steps + 1);
  }

  private static final double LEVEL_GAIN = 0.5;
  private static final double TREND_GAIN = 0.3;
  private static final long MAX_CARRY = 4;

  private final long bucketNanos;
  private final AtomicReference<Model> model;

  /** @param bucketNanos the width of one step of the model; 250 ms by default */
  public LatencyTrend(long bucketNanos) {
    if (bucketNanos <= 0) {
      throw new IllegalArgumentException("bucket width must be positive: " + bucketNanos);
    }
    this.bucketNanos = bucketNanos;
    this.model = new AtomicReference<>(model(Double.NaN, 0.0, 0, 0L, Long.MIN_VALUE, 0.0, 0, 0L));
  }

  /** Folds one round-trip time into the model. */
  public void observe(long rttNanos, long nowNanos) {
    long bucket = Math.floorDiv(nowNanos, bucketNanos);
    double sample = Math.max(0L, rttNanos);
    while (true) {
      Model m = model.get();
      Model next;
      if (m.bucket == bucket || m.bucketCount == 0) {
        next = model(m.level, m.trend, m.steps, m.steppedBucket, bucket,
            m.bucketSum + sample, m.bucketCount + 1, Math.max(nowNanos, m.lastSampleNanos));
      } else if (bucket - m.bucket < 0) {
        // A sample that arrives after its bucket closed (its thread read the clock earlier): fold it
        // into the open bucket rather than rewrite history.
        next = model(m.level, m.trend, m.steps, m.steppedBucket, m.bucket,
            m.bucketSum + sample, m.bucketCount + 1, m.lastSampleNanos);
      } else {
        double mean = m.bucketSum / m.bucketCount;
        long k = Math.max(1L, m.bucket - m.steppedBucket);
        double level = steppedLevel(m.level, m.trend, m.steps, mean, k);
        double trend = steppedTrend(m.level, m.trend, m.steps, level, k);
        next = model(level, trend, m.steps + 1, m.bucket, bucket, sample, 1, Math.max(nowNanos, m.lastSampleNanos));
      }
      if (model.compareAndSet(m, next)) {
        return;
      }
    }
  }

  /**
   * The latency expected {@code horizonNanos} after the most recent bucket with samples, or NaN
   * before the model has two such buckets. The open bucket counts as closed when reading, so a
   * reader is never a whole bucket behind.
   */
  public double forecastNanos(long horizonNanos) {
    return forecast(model.get(), horizonNanos);
  }

  private double forecast(Model m, long horizonNanos) {
    if (m.viewSteps < 2) {
      return Double.NaN;
    }
    double ahead = horizonNanos == 0 ? m.viewLevel : m.viewLevel + m.viewTrend * ((double) horizonNanos / bucketNanos);
    // Only a rising trend is extrapolated: anticipating an improvement would send traffic to an
    // endpoint on the strength of noise (quick to penalise, slow to forgive, as peak EWMA is).
    return Math.max(ahead, m.viewLevel);
  }

  /**
   * The forecast {@code horizonNanos} ahead, faded toward {@code neutralNanos} by how long the model
   * has gone without a sample: {@code w = fade / (fade + idle)}, {@code forecast * w + neutral *
   * (1 - w)}. A strategy that avoids an endpoint stops measuring it; the fade lets it be tried again
   * without making it look better than an average endpoint. A rational curve rather than an
   * exponential: the same shape where it matters (1 when fresh, 1/2 at one fade time, toward 0 after)
   * without an exp() on the request path. NaN before the model has two buckets.
   */
  public double fadedForecastNanos(long horizonNanos, long nowNanos, double fadeNanos, double neutralNanos) {
    Model m = model.get();
    double forecast = forecast(m, horizonNanos);
    long idle = nowNanos - m.lastSampleNanos;
    if (idle <= 0 || Double.isNaN(forecast)) {
      return forecast;
    }
    double w = fadeNanos / (fadeNanos + idle);
    return forecast * w + neutralNanos * (1 - w);
  }

  /** When the last sample was taken, for fading a forecast that nobody has refreshed. */
  public long lastSampleNanos() {
    return model.get().lastSampleNanos;
  }

  private static double steppedLevel(double level, double trend, int steps, double mean, long k) {
    // Across a gap the trend is carried for at most a second's worth of buckets: a slope measured
    // before a long silence says little about the latency after it, and carried far it would drag
    // the level anywhere.
    return steps == 0 ? mean : LEVEL_GAIN * mean + (1 - LEVEL_GAIN) * (level + Math.min(k, MAX_CARRY) * trend);
  }

  private static double steppedTrend(double level, double trend, int steps, double nextLevel, long k) {
    if (steps == 0) {
      return 0.0;
    }
    double slope = (nextLevel - level) / k;
    return steps == 1 ? slope : TREND_GAIN * slope + (1 - TREND_GAIN) * trend;
  }
}
