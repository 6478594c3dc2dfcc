package io.trafficcoordinator.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.TestEndpoints;
import io.trafficcoordinator.time.ManualClock;
import org.junit.jupiter.api.Test;

/** What a selection's life tells its endpoint's stats, on a fake clock. */
class SelectionTest {

  private static final long MS = 1_000_000L;

  private final ManualClock clock = new ManualClock(0L);
  private final Endpoint endpoint = TestEndpoints.endpoint("a", 1);

  /** The latency recorded is the time to the answer's head; a long body does not make the endpoint look slow. */
  @Test
  void latencyIsTimeToTheAnswersHeadAndTheOutcomeComesAtItsEnd() {
    Selection selection = Selection.start(endpoint, clock);
    clock.advanceNanos(2 * MS);
    selection.sent();
    assertThat(endpoint.stats().answerWatch().awaiting()).isEqualTo(1);
    clock.advanceNanos(3 * MS);
    selection.answered();
    assertThat(endpoint.stats().answerWatch().awaiting()).isZero();
    assertThat(endpoint.stats().inFlight()).isEqualTo(1);
    clock.advanceNanos(500 * MS);
    selection.succeed();
    assertThat(endpoint.stats().inFlight()).isZero();
    assertThat(endpoint.stats().totalSuccesses()).isEqualTo(1);
    assertThat(endpoint.stats().answers().quantileNanos(1.0, clock.nanoTime())).isBetween(5.0 * MS, 6.25 * MS);
  }

  /** An answer cut after its head is a failure; every way a selection ends leaves nothing waiting. */
  @Test
  void everyEndingLeavesNothingWaiting() {
    Selection answeredEarly = Selection.start(endpoint, clock);
    answeredEarly.answered(); // the endpoint answered before the request's body had all gone
    answeredEarly.sent(); // nothing owed any more
    answeredEarly.succeed();
    Selection cut = Selection.start(endpoint, clock);
    cut.sent();
    cut.answered();
    cut.fail();
    Selection timedOut = Selection.start(endpoint, clock);
    timedOut.sent();
    timedOut.fail();
    Selection left = Selection.start(endpoint, clock);
    left.sent();
    left.ignore();
    Selection abandoned = Selection.start(endpoint, clock);
    abandoned.sent();
    abandoned.abandon();
    Selection neverSent = Selection.start(endpoint, clock);
    neverSent.ignore();
    neverSent.sent(); // after its end: nothing
    assertThat(endpoint.stats().answerWatch().awaiting()).isZero();
    assertThat(endpoint.stats().inFlight()).isZero();
    assertThat(endpoint.stats().totalFailures()).isEqualTo(3);
    assertThat(endpoint.stats().consecutiveFailures()).isEqualTo(3);
  }

  /** Silence counts from the later of the last answer and the moment a second request began to wait. */
  @Test
  void silenceRunsFromTheLastAnswer() {
    Selection first = Selection.start(endpoint, clock);
    first.sent();
    clock.advanceNanos(100 * MS);
    Selection second = Selection.start(endpoint, clock);
    second.sent();
    clock.advanceNanos(100 * MS);
    // Two wait: the silence counts from when the second joined the first.
    assertThat(endpoint.stats().answerWatch().silenceNanos(clock.nanoTime())).isEqualTo(100 * MS);
    second.answered();
    second.succeed();
    clock.advanceNanos(50 * MS);
    assertThat(endpoint.stats().answerWatch().silenceNanos(clock.nanoTime())).isEqualTo(50 * MS);
    first.ignore();
    assertThat(endpoint.stats().answerWatch().silenceNanos(clock.nanoTime())).isZero();
  }

  /** Back from trouble, an endpoint is judged by its answers again: no failure penalty, not "failed recently". */
  @Test
  void aFreshStartForgetsThePenaltyOfTheFailuresThatTookItOut() {
    for (int i = 0; i < 5; i++) {
      Selection failed = Selection.start(endpoint, clock);
      failed.fail();
    }
    assertThat(endpoint.stats().latencyNanos(clock.nanoTime())).isGreaterThanOrEqualTo(1e9); // the 1 s penalty
    assertThat(endpoint.stats().failedRecently(clock.nanoTime())).isTrue();
    endpoint.stats().freshStart(clock.nanoTime());
    assertThat(endpoint.stats().latencyNanos(clock.nanoTime())).isNaN();
    assertThat(endpoint.stats().failedRecently(clock.nanoTime())).isFalse();
    assertThat(endpoint.stats().consecutiveFailures()).isZero();
  }
}
