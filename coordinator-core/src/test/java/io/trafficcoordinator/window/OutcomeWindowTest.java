package io.trafficcoordinator.window;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutcomeWindowTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void countsWithinTheWindowAndForgetsWhatSlidesOut() {
    OutcomeWindow window = new OutcomeWindow(10 * SECOND, 10);

    // t = 0 s: three successes, one failure.
    window.recordSuccess(0);
    window.recordSuccess(SECOND / 2);
    window.recordSuccess(SECOND - 1);
    window.recordFailure(0);
    // t = 5 s: two failures.
    window.recordFailure(5 * SECOND);
    window.recordFailure(5 * SECOND + 1);

    assertThat(window.successes(9 * SECOND)).isEqualTo(3);
    assertThat(window.failures(9 * SECOND)).isEqualTo(3);
    // At t = 10 s the first second's bucket has slid out.
    assertThat(window.successes(10 * SECOND)).isZero();
    assertThat(window.failures(10 * SECOND)).isEqualTo(2);
    // At t = 15 s everything has.
    assertThat(window.failures(15 * SECOND)).isZero();
  }

  @Test
  void aRecycledBucketStartsFromOne() {
    OutcomeWindow window = new OutcomeWindow(10 * SECOND, 10);
    window.recordSuccess(0);
    window.recordSuccess(0);

    // t = 10 s maps to the same slot as t = 0 s; the old count must not survive.
    window.recordSuccess(10 * SECOND);

    assertThat(window.successes(10 * SECOND)).isEqualTo(1);
  }

  @Test
  void worksOnAClockWithNegativeReadings() {
    OutcomeWindow window = new OutcomeWindow(10 * SECOND, 10);
    long start = -3 * SECOND - 7;

    window.recordFailure(start);
    window.recordFailure(start + 4 * SECOND);

    assertThat(window.failures(start + 5 * SECOND)).isEqualTo(2);
    assertThat(window.failures(start + 12 * SECOND)).isEqualTo(1);
  }
}
