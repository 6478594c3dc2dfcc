package io.trafficcoordinator.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.random.ScriptedRng;
import io.trafficcoordinator.random.SeededRng;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final long MS = 1_000_000L;

  @Test
  void theBoundDoublesPerRetryUpToTheMaximum() {
    Backoff backoff = new Backoff(Duration.ofMillis(25), Duration.ofMillis(250));
    assertThat(new long[] {backoff.boundNanos(1), backoff.boundNanos(2), backoff.boundNanos(3), backoff.boundNanos(4),
        backoff.boundNanos(5), backoff.boundNanos(100)})
        .containsExactly(25 * MS, 50 * MS, 100 * MS, 200 * MS, 250 * MS, 250 * MS);
  }

  @Test
  void theWaitIsDrawnFromZeroToTheBound() {
    Backoff backoff = new Backoff(Duration.ofMillis(25), Duration.ofMillis(250));
    // ScriptedRng.nextDouble gives value / 1,000,000: 0, 0.5, 0.999999.
    ScriptedRng rng = new ScriptedRng(0, 500_000, 999_999);
    assertThat(backoff.delayNanos(1, rng)).isZero();
    assertThat(backoff.delayNanos(2, rng)).isEqualTo(25 * MS);
    assertThat(backoff.delayNanos(3, rng)).isEqualTo(99_999_900L);
  }

  @Test
  void fullJitterSpreadsWaitsOverTheWholeInterval() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(100));
    SeededRng rng = new SeededRng(7);
    int[] quarters = new int[4];
    for (int i = 0; i < 4000; i++) {
      long delay = backoff.delayNanos(1, rng);
      assertThat(delay).isBetween(0L, 100 * MS - 1);
      quarters[(int) (delay / (25 * MS))]++;
    }
    // Uniform: each quarter of the interval holds a quarter of the waits (±10 % of 1000, seeded).
    for (int count : quarters) {
      assertThat(count).isBetween(900, 1100);
    }
  }

  @Test
  void aLongBaseDoesNotOverflow() {
    Backoff backoff = new Backoff(Duration.ofSeconds(60), Duration.ofSeconds(60));
    assertThat(backoff.boundNanos(62)).isEqualTo(60_000 * MS);
  }
}
