package io.trafficcoordinator.endpoint;

import java.time.Duration;

/**
 * How an endpoint's live stats are kept.
 *
 * @param latencyDecay the peak-EWMA time constant (Finagle and Linkerd use 10 s)
 * @param failurePenalty the round-trip time recorded for a failed request when it failed faster,
 *     so that a fast error never looks attractive to a latency-based strategy
 * @param outcomeWindow the span of the sliding success/failure window
 * @param outcomeBuckets how many buckets the window is cut into
 * @param trendBucket the step of the latency trend model
 */
public record StatsSettings(
    Duration latencyDecay, Duration failurePenalty, Duration outcomeWindow, int outcomeBuckets, Duration trendBucket) {

  public static final StatsSettings DEFAULT = new StatsSettings(
      Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(10), 10, Duration.ofMillis(250));
}
