package io.trafficcoordinator.balance.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.TestEndpoints;
import org.junit.jupiter.api.Test;

/** The per-try timeout derived from a service's answers. */
class TryTimeoutTest {

  private static final long MS = 1_000_000L;
  private static final long ROUTE = 15_000 * MS;

  private final EndpointSet set = TestEndpoints.equal(2);
  private final TryTimeout timeout = new TryTimeout();

  private void answers(int count, long rttNanos) {
    for (int i = 0; i < count; i++) {
      TestEndpoints.answered(set.get(i % 2), rttNanos, 0);
    }
  }

  @Test
  void theRouteTimeoutHoldsUntilEnoughAnswersWereSeen() {
    answers(199, 5 * MS);
    timeout.measure(set.endpoints(), 0);
    assertThat(timeout.nanos(ROUTE)).isEqualTo(ROUTE);
  }

  @Test
  void aFastServiceGetsTheFloorAndASlowOneFourTimesItsP99WithinTheRouteTimeout() {
    answers(400, 5 * MS);
    timeout.measure(set.endpoints(), 0);
    assertThat(timeout.nanos(ROUTE)).isEqualTo(TryTimeout.FLOOR_NANOS);

    answers(4_000, 800 * MS); // now the p99 is about 800 ms (its bucket's bound)
    timeout.measure(set.endpoints(), 0);
    assertThat(timeout.nanos(ROUTE)).isBetween(4 * 800 * MS, (long) (4 * 800 * MS * 1.25));
    assertThat(timeout.nanos(2_000 * MS)).isEqualTo(2_000 * MS);
  }
}
