package io.trafficcoordinator.ratelimit;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link TokenBucket} per key (an operation and a client), made on first use. The map stays
 * bounded: when it holds more than {@code maxKeys}, buckets that have refilled completely are
 * dropped (a full bucket is no different from a new one), so a flood of distinct clients costs
 * memory only for those still being limited. Thread-safe.
 */
public final class RateLimiter {

  private final int perMinute;
  private final int burst;
  private final int maxKeys;
  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(int perMinute, int burst, int maxKeys) {
    this.perMinute = perMinute;
    this.burst = burst;
    this.maxKeys = maxKeys;
  }

  public int perMinute() {
    return perMinute;
  }

  public int burst() {
    return burst;
  }

  /** Takes a token from {@code key}'s bucket at {@code nowNanos}. */
  public TokenBucket.Take tryTake(String key, long nowNanos) {
    if (buckets.size() > maxKeys) {
      buckets.values().removeIf(bucket -> bucket.isFull(nowNanos));
    }
    return buckets.computeIfAbsent(key, k -> new TokenBucket(perMinute, burst, nowNanos)).tryTake(nowNanos);
  }

  /** Buckets held now (for tests and metrics). */
  public int size() {
    return buckets.size();
  }
}
