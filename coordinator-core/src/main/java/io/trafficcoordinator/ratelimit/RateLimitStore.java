package io.trafficcoordinator.ratelimit;

/**
 * Where rate-limit buckets live. {@link RateLimiter} keeps them in this instance's memory, so each
 * instance limits on its own; a store the instances share (the cluster-wide limiter of scale-out)
 * implements the same call, answering from the request's thread without waiting on the network
 * (from a share of the budget it refills in the background), since a proxy cannot block an event
 * loop on it.
 */
public interface RateLimitStore {

  /** Takes {@code cost} tokens from {@code key}'s bucket at {@code nowNanos}, all or none. */
  TokenBucket.Take take(String key, int cost, long nowNanos);
}
