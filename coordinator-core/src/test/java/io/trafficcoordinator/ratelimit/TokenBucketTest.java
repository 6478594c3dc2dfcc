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
  void theLimiterKeepsOneBucketPerKeyAndDropsFullOnesWhenCrowded() {
    RateLimiter limiter = new RateLimiter(60, 1, 2);
    assertThat(limiter.tryTake("a", 0).allowed()).isTrue();
    assertThat(limiter.tryTake("a", 0).allowed()).isFalse();
    assertThat(limiter.tryTake("b", 0).allowed()).isTrue();
    limiter.tryTake("c", 0);
    assertThat(limiter.size()).isEqualTo(3);
    // A second later all three have refilled; the next new key sweeps them.
    limiter.tryTake("d", SECOND);
    assertThat(limiter.size()).isEqualTo(1);
  }
}
