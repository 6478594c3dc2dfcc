package io.trafficcoordinator.limit;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission to one service under its adaptive concurrency limit: a request is admitted while fewer
 * than the limit are in flight, and refused at once otherwise (the proxy answers 503 with
 * Retry-After): excess load is shed, never queued without bound. Lock-free; kept across
 * configuration changes, so the learnt limit survives a reload.
 */
public final class ServiceLimiter {

  private final VegasLimit limit;
  private final AtomicInteger inFlight = new AtomicInteger();

  public ServiceLimiter(VegasLimit limit) {
    this.limit = limit;
  }

  /** Admits one request if the limit allows; every admitted request must be {@link #release}d once. */
  public boolean tryAcquire() {
    while (true) {
      int current = inFlight.get();
      if (current >= limit.limit()) {
        return false;
      }
      if (inFlight.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  /**
   * An admitted request ended after {@code rttNanos}; {@code sample} says whether its time says
   * something about the service (an answer from it), or not (a client that left, a proxy error).
   */
  public void release(long rttNanos, boolean sample) {
    int before = inFlight.getAndDecrement();
    if (sample) {
      limit.onSample(rttNanos, before);
    }
  }

  public int limit() {
    return limit.limit();
  }

  public int inFlight() {
    return inFlight.get();
  }
}
