package io.trafficcoordinator.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstThenOneTokenPerIntervalOfTheRate() {
    // 10 a minute: a token every 6 s; a burst of 3.
    TokenBucket bucket = new TokenBucket(10, 3, 0);
    assertThat(bucket.tryTake(0)).isEqualTo(new TokenBucket.Take(true, 2, 0, 6 * SECOND));
    assertThat(bucket.tryTake(0).remaining()).isEqualTo(1);
    assertThat(bucket.tryTake(0)).isEqualTo(new TokenBucket.Take(true, 0, 0, 18 * SECOND));
    // Empty: refused, with the wait for the next token.
    assertThat(bucket.tryTake(0)).isEqualTo(new TokenBucket.Take(false, 0, 6 * SECOND, 18 * SECOND));
    assertThat(bucket.tryTake(4 * SECOND)).isEqualTo(new TokenBucket.Take(false, 0, 2 * SECOND, 14 * SECOND));
    assertThat(bucket.tryTake(6 * SECOND).allowed()).isTrue();
    assertThat(bucket.tryTake(6 * SECOND).allowed()).isFalse();
    // Long idle: full again, never more than the burst.
    assertThat(bucket.isFull(600 * SECOND)).isTrue();
    assertThat(bucket.tryTake(600 * SECOND).remaining()).isEqualTo(2);
  }

  @Test
  void aCostlyRequestTakesAsManyTokensOrNone() {
    // 60 a minute: a token a second; a burst of 5.
    TokenBucket bucket = new TokenBucket(60, 5, 0);
    assertThat(bucket.tryTake(0, 3)).isEqualTo(new TokenBucket.Take(true, 2, 0, 3 * SECOND));
    // Three more would overdraw: refused whole, nothing taken, and told to wait for the one missing.
    assertThat(bucket.tryTake(0, 3)).isEqualTo(new TokenBucket.Take(false, 2, SECOND, 3 * SECOND));
    assertThat(bucket.tryTake(0, 2).allowed()).isTrue();
    assertThat(bucket.tryTake(SECOND, 1).allowed()).isTrue();
    assertThat(bucket.tryTake(SECOND, 1).allowed()).isFalse();
    // More than the burst can never pass, however long the wait.
    assertThat(bucket.tryTake(3600 * SECOND, 6).allowed()).isFalse();
  }

  @Test
  void theLimiterKeepsOneBucketPerKeyAndDropsFullOnesFirstWhenCrowded() {
    RateLimiter limiter = new RateLimiter(60, 1, 2);
    assertThat(limiter.tryTake("a", 0).allowed()).isTrue();
    assertThat(limiter.tryTake("a", 0).allowed()).isFalse();
    assertThat(limiter.tryTake("b", 0).allowed()).isTrue();
    // A third key while none has refilled: one of the two is forgiven to keep the bound.
    limiter.tryTake("c", 0);
    assertThat(limiter.size()).isEqualTo(2);
    // A second later both have refilled; the next new key sweeps them.
    limiter.tryTake("d", SECOND);
    assertThat(limiter.size()).isEqualTo(1);
  }

  /** A flood of distinct keys (a spoofed header, a botnet) never holds more buckets than the bound. */
  @Test
  void aFloodOfKeysStaysWithinTheBoundAndKeysUnderItKeepTheirBuckets() {
    RateLimiter limiter = new RateLimiter(60, 1, 1_000);
    assertThat(limiter.tryTake("steady", 0).allowed()).isTrue();
    for (int i = 0; i < 100_000; i++) {
      limiter.tryTake("flood-" + i, 0);
      assertThat(limiter.size()).isLessThanOrEqualTo(1_000);
    }
    RateLimiter roomy = new RateLimiter(60, 1, 1_000);
    roomy.tryTake("steady", 0);
    for (int i = 0; i < 500; i++) {
      roomy.tryTake("other-" + i, 0);
    }
    assertThat(roomy.tryTake("steady", 0).allowed()).as("under the bound nobody is forgiven").isFalse();
  }
}
