package io.trafficcoordinator.balance.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.breaker.BreakerConfig;
import io.trafficcoordinator.breaker.CircuitBreaker;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.TestEndpoints;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Eligibility on its own: endpoints' state and a time in, who may take requests and until when out. */
class EligibilityTest {

  private static final long S = 1_000_000_000L;
  private static final BreakerConfig BREAKER =
      new BreakerConfig(true, 50, 100, Duration.ofSeconds(10), 2, Duration.ofSeconds(3), 1);
  @Test
  void everyEndpointIsEligibleWhenNothingIsWrong() {
    EndpointSet set = TestEndpoints.equal(3);

    Eligibility eligibility = Eligibility.of(set, 0L);

    assertThat(eligibility.eligible()).containsExactlyElementsOf(set.endpoints());
    assertThat(eligibility.ejected()).isEmpty();
    assertThat(eligibility.nextChangeNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(eligibility.awaitsChange()).isFalse();
    assertThat(eligibility.changeDue(Long.MAX_VALUE - 1)).isFalse();
  }

  /**
   * a fails its checks, b is ejected until 5 s, c's circuit opens at 1 s for 3 s, d is fine: only d
   * is eligible, and the next change is c's circuit at 4 s, then b's ejection at 5 s.
   */
  @Test
  void leavesOutTheUnhealthyTheEjectedAndTheOpenAndSaysWhenThatChanges() {
    EndpointSet set = TestEndpoints.equal(4);
    set.get(0).stats().activeHealth().record(false, 1, 1);
    set.get(1).stats().eject(0, 5 * S);
    CircuitBreaker breaker = new CircuitBreaker(BREAKER, CircuitBreaker.Listener.NONE);
    set.get(2).stats().installBreaker(breaker);
    breaker.onResult(false, 1, S);
    breaker.onResult(false, 1, S);

    Eligibility atTwo = Eligibility.of(set, 2 * S);
    assertThat(atTwo.eligible()).containsExactly(set.get(3));
    assertThat(atTwo.ejected()).containsExactly(set.get(1));
    assertThat(atTwo.nextChangeNanos()).isEqualTo(4 * S);
    assertThat(atTwo.awaitsChange()).isTrue();
    assertThat(atTwo.changeDue(4 * S - 1)).isFalse();
    assertThat(atTwo.changeDue(4 * S)).isTrue();

    Eligibility atFour = Eligibility.of(set, 4 * S);
    assertThat(atFour.eligible()).as("c's wait is over: half-open, it takes trials").containsExactly(set.get(2), set.get(3));
    assertThat(atFour.nextChangeNanos()).isEqualTo(5 * S);

    Eligibility atFive = Eligibility.of(set, 5 * S);
    assertThat(atFive.eligible()).containsExactly(set.get(1), set.get(2), set.get(3));
    assertThat(atFive.ejected()).isEmpty();
    assertThat(atFive.nextChangeNanos()).isEqualTo(Long.MAX_VALUE);
  }

  /** Times near the wrap of the monotonic clock compare by difference: the earlier end still wins. */
  @Test
  void theNextChangeIsTheEarliestAcrossTheClocksWrap() {
    EndpointSet set = TestEndpoints.equal(2);
    long beforeWrap = Long.MAX_VALUE - 10 * S;
    set.get(0).stats().eject(beforeWrap, beforeWrap + 20 * S);
    set.get(1).stats().eject(beforeWrap, beforeWrap + 5 * S);

    Eligibility eligibility = Eligibility.of(set, beforeWrap);

    assertThat(eligibility.nextChangeNanos()).isEqualTo(beforeWrap + 5 * S);
    assertThat(eligibility.changeDue(beforeWrap + 5 * S)).isTrue();
  }

  /** Panic is below the threshold's share, never at it; an empty service never panics. */
  @Test
  void panicsOnlyBelowTheThreshold() {
    EndpointSet set = TestEndpoints.equal(4);
    set.get(0).stats().activeHealth().record(false, 1, 1);
    set.get(1).stats().activeHealth().record(false, 1, 1);
    Eligibility half = Eligibility.of(set, 0L);
    set.get(2).stats().activeHealth().record(false, 1, 1);
    Eligibility quarter = Eligibility.of(set, 0L);

    assertThat(half.panics(0.5, 4)).isFalse();
    assertThat(quarter.panics(0.5, 4)).isTrue();
    assertThat(Eligibility.NONE_YET.panics(0.5, 0)).isFalse();
  }
}
