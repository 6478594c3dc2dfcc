package io.trafficcoordinator.load;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Peak-sensitive exponentially weighted moving average of round-trip time, as Finagle's
 * {@code PeakEwma} and tower's {@code PeakEwma} keep it.
 *
 * <pre>
 *   on a sample s at time t:   w = exp(-(t - t0) / tau)
 *                              cost = s                       if s &gt; cost   (the peak: jump at once)
 *                              cost = cost * w + s * (1 - w)  otherwise      (decay toward the mean)
 *   read at time t:            cost * exp(-(t - t0) / tau)                   (idle estimates fade)
 * </pre>
 *
 * <p>An endpoint that just turned slow is avoided on its first slow answer; it regains traffic only
 * as the estimate decays, and an idle estimate fades toward zero so that an endpoint avoided for a
 * while is tried again (the probing that keeps least-latency from starving a recovered endpoint).
 * Before its first sample the estimate is {@link Double#NaN}: callers substitute a neutral value.
 *
 * <p>Thread-safe and lock-free: the estimate and its timestamp are one immutable value swapped by
 * compare-and-set, so a reader never sees a cost paired with another sample's timestamp.
 */
public final class PeakEwma {

  private record Estimate(double costNanos, long stampNanos) {}

  private static final Estimate EMPTY = new Estimate(Double.NaN, 0L);

  private final double tauNanos;
  private final AtomicReference<Estimate> estimate = new AtomicReference<>(EMPTY);

  /** @param tauNanos the decay time constant; 10 s in Finagle and Linkerd */
  public PeakEwma(long tauNanos) {
    if (tauNanos <= 0) {
      throw new IllegalArgumentException("decay time must be positive: " + tauNanos);
    }
    this.tauNanos = tauNanos;
  }

  /** Folds one round-trip time into the estimate. */
  public void observe(long rttNanos, long nowNanos) {
    double sample = Math.max(0L, rttNanos);
    while (true) {
      Estimate current = estimate.get();
      double next;
      if (Double.isNaN(current.costNanos) || sample > current.costNanos) {
        next = sample;
      } else {
        double w = weight(current, nowNanos);
        next = current.costNanos * w + sample * (1.0 - w);
      }
      // The stamp never moves backwards: a sample measured on another thread a moment ago must
      // not make the next reader decay over an interval it already decayed over.
      long stamp = Math.max(nowNanos, current.stampNanos);
      if (estimate.compareAndSet(current, new Estimate(next, stamp))) {
        return;
      }
    }
  }

  /** The estimate at {@code nowNanos}, decayed for the time since the last sample; NaN before any. */
  public double costNanos(long nowNanos) {
    Estimate current = estimate.get();
    if (Double.isNaN(current.costNanos)) {
      return Double.NaN;
    }
    return current.costNanos * weight(current, nowNanos);
  }

  /** Forgets every sample: the estimate is NaN again until the next one. */
  public void reset() {
    estimate.set(EMPTY);
  }

  /** Whether at least one sample was observed. */
  public boolean hasSamples() {
    return !Double.isNaN(estimate.get().costNanos);
  }

  private double weight(Estimate current, long nowNanos) {
    long elapsed = nowNanos - current.stampNanos;
    return elapsed <= 0 ? 1.0 : Math.exp(-elapsed / tauNanos);
  }
}
