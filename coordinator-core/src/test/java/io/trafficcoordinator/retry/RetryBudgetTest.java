package io.trafficcoordinator.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.retry.RetryBudget.Grant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  private static final long SECOND = 1_000_000_000L;
  private static final RetryConfig.Budget TWENTY_PERCENT = new RetryConfig.Budget(20, Duration.ofSeconds(10), 3);

  private static List<Grant> ask(RetryBudget budget, int times, long now) {
    List<Grant> grants = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      grants.add(budget.tryRetry(now));
    }
    return grants;
  }

  private static long granted(List<Grant> grants) {
    return grants.stream().filter(Grant::granted).count();
  }

  @Test
  void aBusyRouteRetriesAtMostItsPercentageOfRequests() {
    RetryBudget budget = new RetryBudget(TWENTY_PERCENT, 0);

    // 100 requests in the first second, every one failing and asking for a retry: 20 are granted
    // (the percentage beats the floor of 3), the 21st is refused and says the budget ran out.
    for (int i = 0; i < 100; i++) {
      budget.recordRequest(0);
    }
    List<Grant> first = ask(budget, 100, 0);
    assertThat(granted(first)).isEqualTo(20);
    assertThat(first.get(19)).isEqualTo(Grant.GRANTED);
    assertThat(first.get(20)).isEqualTo(Grant.EXHAUSTED);
    assertThat(first.get(21)).isEqualTo(Grant.REFUSED);

    // A second later, 100 more requests: 20 more retries, the first of them resuming.
    for (int i = 0; i < 100; i++) {
      budget.recordRequest(SECOND);
    }
    List<Grant> second = ask(budget, 100, SECOND);
    assertThat(granted(second)).isEqualTo(20);
    assertThat(second.get(0)).isEqualTo(Grant.RESUMED);
  }

  @Test
  void aQuietRouteMayRetryTheFloorPerSecondOfTheWindow() {
    RetryBudget budget = new RetryBudget(TWENTY_PERCENT, 0);
    budget.recordRequest(0);

    // One request: 20 % of it rounds to nothing, the floor gives 3 in the first second...
    assertThat(granted(ask(budget, 10, 0))).isEqualTo(3);
    // ...3 more in each further second, up to the window's 30...
    assertThat(granted(ask(budget, 20, 4 * SECOND))).isEqualTo(12);
    assertThat(granted(ask(budget, 100, 30 * SECOND))).isEqualTo(30);
    // ...and retries age out of the window with their bucket.
    assertThat(granted(ask(budget, 100, 31 * SECOND))).isZero();
    assertThat(granted(ask(budget, 100, 41 * SECOND))).isEqualTo(30);
  }

  @Test
  void aZeroBudgetRefusesEveryRetry() {
    RetryBudget budget = new RetryBudget(new RetryConfig.Budget(0, Duration.ofSeconds(10), 0), 0);
    for (int i = 0; i < 1000; i++) {
      budget.recordRequest(0);
    }
    assertThat(ask(budget, 2, SECOND)).containsExactly(Grant.EXHAUSTED, Grant.REFUSED);
  }
}
