package io.trafficcoordinator.load;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Forecasts an endpoint's latency a little ahead with Holt's linear trend (double exponential
 * smoothing; Holt 1957) over fixed time buckets.
 *
 * <pre>
 *   every bucket b (its mean latency x_b):   level_b = a * x_b + (1 - a) * (level_{b-1} + trend_{b-1})
 *                                            trend_b = c * (level_b - level_{b-1}) + (1 - c) * trend_{b-1}
 *   forecast h buckets ahead:                level + h * trend   (never below level / 2)
 * </pre>
 *
 * <p>Samples are folded into the current bucket and the model steps once per bucket, so bursts of
 * completions at the same instant weigh as one observation of that moment and the trend is a
 * slope per unit of time, not per request. A bucket with no samples is skipped. Where peak EWMA
 * reacts to a slow answer once it has happened, the trend sees latency climbing (a queue building,
 * a leak, a warming cache going cold) and the forecast crosses a steady peer's latency before the
 * climbing endpoint's latency has doubled.
 *
 * <p>Before two buckets have closed there is no forecast (NaN). Lock-free: the model is one
 * immutable value swapped by compare-and-set.
 */
public final class LatencyTrend {

  private record Model(
      double level, double trend, int steps, long bucket, double bucketSum, int bucketCount, long lastSampleNanos) {}

  private static final double LEVEL_GAIN = 0.5;
  private static final double TREND_GAIN = 0.3;
  private static final double FADE_NANOS = 10e9;

  private final long bucketNanos;
  private final AtomicReference<Model> model;

  /** @param bucketNanos the width of one step of the model; 250 ms by default */
  public LatencyTrend(long bucketNanos) {
    if (bucketNanos <= 0) {
      throw new IllegalArgumentException("bucket width must be positive: " + bucketNanos);
    }
    this.bucketNanos = bucketNanos;
    this.model = new AtomicReference<>(new Model(Double.NaN, 0.0, 0, Long.MIN_VALUE, 0.0, 0, 0L));
  }

  /** Folds one round-trip time into the model. */
  public void observe(long rttNanos, long nowNanos) {
    long bucket = Math.floorDiv(nowNanos, bucketNanos);
    double sample = Math.max(0L, rttNanos);
    while (true) {
      Model current = model.get();
      Model next;
      if (current.bucket == bucket || current.bucketCount == 0) {
        next = new Model(current.level, current.trend, current.steps, bucket,
            current.bucketSum + sample, current.bucketCount + 1, Math.max(nowNanos, current.lastSampleNanos));
      } else if (bucket - current.bucket < 0) {
        // A sample that arrives after its bucket closed (its thread read the clock earlier): fold it
        // into the open bucket rather than rewrite history.
        next = new Model(current.level, current.trend, current.steps, current.bucket,
            current.bucketSum + sample, current.bucketCount + 1, current.lastSampleNanos);
      } else {
        Model stepped = step(current);
        next = new Model(stepped.level, stepped.trend, stepped.steps, bucket, sample, 1,
            Math.max(nowNanos, current.lastSampleNanos));
      }
      if (model.compareAndSet(current, next)) {
        return;
      }
    }
  }

  /**
   * The latency expected {@code horizonNanos} after the last closed bucket, or NaN before the model
   * has two buckets behind it. The open bucket counts as closed when reading, so a reader is never
   * a whole bucket behind.
   */
  public double forecastNanos(long horizonNanos) {
    Model current = model.get();
    Model view = current.bucketCount == 0 ? current : step(current);
    if (view.steps < 2) {
      return Double.NaN;
    }
    double ahead = view.level + view.trend * ((double) horizonNanos / bucketNanos);
    return Math.max(ahead, view.level / 2);
  }

  /**
   * The forecast, faded by how long the endpoint has gone without a sample:
   * {@code forecast * exp(-idle / 10 s)}. A strategy that avoids an endpoint stops measuring it;
   * the fade makes the endpoint look better as its data grows stale, so it is tried again (the
   * probing that keeps a latency-driven strategy from starving an endpoint for good). NaN before
   * the model has two buckets.
   */
  public double fadedForecastNanos(long horizonNanos, long nowNanos) {
    double forecast = forecastNanos(horizonNanos);
    long idle = nowNanos - lastSampleNanos();
    return idle > 0 ? forecast * Math.exp(-idle / FADE_NANOS) : forecast;
  }

  /** When the last sample was taken, for fading a forecast that nobody has refreshed. */
  public long lastSampleNanos() {
    return model.get().lastSampleNanos;
  }

  private static Model step(Model m) {
    double mean = m.bucketSum / m.bucketCount;
    if (m.steps == 0) {
      return new Model(mean, 0.0, 1, m.bucket, 0.0, 0, m.lastSampleNanos);
    }
    double level = LEVEL_GAIN * mean + (1 - LEVEL_GAIN) * (m.level + m.trend);
    double trend = m.steps == 1
        ? level - m.level
        : TREND_GAIN * (level - m.level) + (1 - TREND_GAIN) * m.trend;
    return new Model(level, trend, m.steps + 1, m.bucket, 0.0, 0, m.lastSampleNanos);
  }
}
