package io.trafficcoordinator.ratelimit;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link TokenBucket} per key (an operation and a client, a route and a caller), made on first
 * use. Memory is bounded by {@code maxKeys}: when a new key would pass it, buckets that have
 * refilled completely are dropped first (a full bucket is no different from a new one), and if that
 * is not enough, arbitrary others until a tenth of the room is free again (their keys start afresh:
 * under a flood of more distinct keys than the bound, forgiving some is the price of a fixed
 * footprint). Each sweep frees a tenth of the room, so its cost is spread over the keys that
 * follow. Thread-safe; the bound holds to within the threads adding keys at once.
 */
public final class RateLimiter implements RateLimitStore {

  private final long intervalNanos;
  private final int burst;
  private final int maxKeys;
  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  /** One sweep at a time: the others add their key and go on (the bound holds to within them). */
  private final java.util.concurrent.atomic.AtomicBoolean sweeping = new java.util.concurrent.atomic.AtomicBoolean();

  public RateLimiter(int perMinute, int burst, int maxKeys) {
    this(60_000_000_000L / perMinute, burst, maxKeys);
  }

  /** Buckets refilled by one token every {@code intervalNanos}. */
  public RateLimiter(long intervalNanos, int burst, int maxKeys) {
    this.intervalNanos = intervalNanos;
    this.burst = burst;
    this.maxKeys = maxKeys;
  }

  public int perMinute() {
    return (int) (60_000_000_000L / intervalNanos);
  }

  public int burst() {
    return burst;
  }

  /** Takes a token from {@code key}'s bucket at {@code nowNanos}. */
  public TokenBucket.Take tryTake(String key, long nowNanos) {
    return take(key, 1, nowNanos);
  }

  @Override
  public TokenBucket.Take take(String key, int cost, long nowNanos) {
    TokenBucket bucket = buckets.get(key);
    if (bucket == null) {
      if (buckets.size() >= maxKeys && sweeping.compareAndSet(false, true)) {
        try {
          makeRoom(nowNanos);
        } finally {
          sweeping.set(false);
        }
      }
      bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(intervalNanos, burst, nowNanos));
    }
    return bucket.tryTake(nowNanos, cost);
  }

  private void makeRoom(long nowNanos) {
    buckets.values().removeIf(bucket -> bucket.isFull(nowNanos));
    int excess = buckets.size() - (maxKeys - Math.max(1, maxKeys / 10));
    for (Iterator<String> keys = buckets.keySet().iterator(); excess > 0 && keys.hasNext(); excess--) {
      keys.next();
      keys.remove();
    }
  }

  /** Buckets held now (for tests and metrics). */
  public int size() {
    return buckets.size();
  }
}
