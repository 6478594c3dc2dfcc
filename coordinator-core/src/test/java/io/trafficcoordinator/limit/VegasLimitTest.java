package io.trafficcoordinator.limit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VegasLimitTest {

  private static final long MS = 1_000_000L;

  /** Answers as fast as an idle service, with the limit in use: it grows by about log10(limit) per round trip. */
  @Test
  void growsWhileNothingQueues() {
    VegasLimit limit = new VegasLimit(20, 5, 1000);
    for (int i = 0; i < 200; i++) {
      limit.onSample(100 * MS, limit.limit());
    }
    // 200 samples = 10 round trips of 20: about 13 more.
    assertThat(limit.limit()).isBetween(30, 36);
  }

  /** Round trips twice the unloaded one mean half the limit is queueing: it shrinks. */
  @Test
  void shrinksWhenRequestsQueue() {
    VegasLimit limit = new VegasLimit(40, 5, 1000);
    limit.onSample(100 * MS, 40);
    for (int i = 0; i < 900; i++) {
      limit.onSample(200 * MS, limit.limit());
    }
    // queue = limit / 2 stays at or above beta = 6 log10(limit) down to a limit of about 13.
    assertThat(limit.limit()).isBetween(12, 14);
  }

  /** A limit not in use (under half of it in flight) does not grow: nothing shows it could. */
  @Test
  void doesNotGrowWhenTheLimitIsNotInUse() {
    VegasLimit limit = new VegasLimit(20, 5, 1000);
    for (int i = 0; i < 500; i++) {
      limit.onSample(100 * MS, 3);
    }
    assertThat(limit.limit()).isEqualTo(20);
  }

  @Test
  void staysWithinItsBounds() {
    VegasLimit limit = new VegasLimit(20, 8, 25);
    for (int i = 0; i < 300; i++) {
      limit.onSample(100 * MS, 100);
    }
    assertThat(limit.limit()).isEqualTo(25);
    // (Under a thousand samples in all: every thousandth re-learns the unloaded round trip.)
    for (int i = 0; i < 600; i++) {
      limit.onSample(1000 * MS, 25);
    }
    assertThat(limit.limit()).isEqualTo(8);
  }

  @Test
  void theLimiterAdmitsUpToTheLimitAndReleasesSlots() {
    ServiceLimiter limiter = new ServiceLimiter(new VegasLimit(3, 1, 10));
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).as("the fourth is shed").isFalse();
    limiter.release(100 * MS, true);
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.inFlight()).isEqualTo(3);
  }
}
