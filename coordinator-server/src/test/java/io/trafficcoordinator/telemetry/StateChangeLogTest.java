package io.trafficcoordinator.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StateChangeLogTest {

  /** A state flapping 1,000 times in a millisecond writes three lines; the next says what was held back. */
  @Test
  void aBurstWritesAFewLinesAndTheNextCountsTheRest() {
    ManualClock clock = new ManualClock(0L);
    StateChangeLog log = new StateChangeLog(clock);
    int written = 0;
    for (int i = 0; i < 1_000; i++) {
      if (log.allow("route api") >= 0) {
        written++;
      }
    }
    assertThat(written).isEqualTo(StateChangeLog.BURST);
    assertThat(log.allow("route other")).as("another subject has its own allowance").isZero();

    clock.advance(Duration.ofMillis(500));
    long heldBack = log.allow("route api");
    assertThat(heldBack).isEqualTo(1_000 - StateChangeLog.BURST);
    assertThat(StateChangeLog.heldBackNote(heldBack)).isEqualTo(" (997 similar lines held back)");
    assertThat(log.allow("route api")).as("the allowance refills at two a second").isEqualTo(-1);
    assertThat(StateChangeLog.heldBackNote(0)).isEmpty();
  }
}
