package io.trafficcoordinator.balance.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.TestEndpoints;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.ManualClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class HealthDistributedStrategyTest {

  /** Thresholds so high the active verdict never flips: only the score moves. */
  private static final int NEVER = 1000;

  private final ManualClock clock = new ManualClock(0L);

  /**
   * Each endpoint passes k of its last 8 checks, so its score is k / 8 (no traffic yet: passive
   * evidence is neutral). Over one 1000-unit cycle, an endpoint at or above the floor gets
   * score / (sum of such scores) of the picks, within one unit per endpoint of quantisation; one
   * below gets none. Panic is off (threshold 0) to isolate the shares.
   */
  @Property(tries = 50)
  void sharesFollowScoresAndNothingGoesBelowTheFloor(
      @ForAll @Size(min = 2, max = 6) List<@IntRange(min = 0, max = 8) Integer> passedOfEight) {
    EndpointSet set = TestEndpoints.equal(passedOfEight.size());
    for (int i = 0; i < set.size(); i++) {
      checks(set.get(i), passedOfEight.get(i));
    }
    HealthDistributedConfig config = new HealthDistributedConfig(0.5, 0.0, Duration.ofSeconds(1));

    Map<String, Integer> picks = oneCycle(new HealthDistributedStrategy(config, clock, RngSource.seeded(9)).newPicker(set));

    double total = passedOfEight.stream().filter(p -> p >= 4).mapToDouble(p -> p / 8.0).sum();
    for (int i = 0; i < set.size(); i++) {
      int passed = passedOfEight.get(i);
      int got = picks.getOrDefault(set.get(i).id(), 0);
      if (passed < 4 || total == 0) {
        assertThat(got).as("endpoint below the floor").isZero();
      } else {
        assertThat(got / 1000.0).isCloseTo(passed / 8.0 / total, within(0.002));
      }
    }
  }

  /**
   * n endpoints, u of them below the floor. Panic engages exactly when the healthy share
   * (n - u) / n falls below the threshold: then every endpoint gets an equal share; otherwise the
   * ones below the floor get nothing.
   */
  @Property(tries = 100)
  void panicModeEngagesAtTheThreshold(
      @ForAll @IntRange(min = 2, max = 10) int n,
      @ForAll @IntRange(min = 0, max = 10) int unhealthyWanted,
      @ForAll @DoubleRange(min = 0.1, max = 0.9) double threshold) {
    int unhealthy = Math.min(n, unhealthyWanted);
    EndpointSet set = TestEndpoints.equal(n);
    for (int i = 0; i < n; i++) {
      checks(set.get(i), i < unhealthy ? 0 : 8);
    }
    HealthDistributedConfig config = new HealthDistributedConfig(0.5, threshold, Duration.ofSeconds(1));

    Map<String, Integer> picks = oneCycle(new HealthDistributedStrategy(config, clock, RngSource.seeded(4)).newPicker(set));

    boolean panic = n - unhealthy < threshold * n;
    for (int i = 0; i < n; i++) {
      int got = picks.getOrDefault(set.get(i).id(), 0);
      if (panic) {
        assertThat(got / 1000.0).as("panic: equal shares").isCloseTo(1.0 / n, within(0.002));
      } else if (i < unhealthy) {
        assertThat(got).as("below the floor").isZero();
      } else {
        assertThat(got / 1000.0).isCloseTo(1.0 / (n - unhealthy), within(0.002));
      }
    }
  }

  /** Passive evidence counts too: an endpoint failing every request is cut off at the next refresh. */
  @Example
  void failingRequestsLowerTheScore() {
    EndpointSet set = TestEndpoints.weighted(1, 1, 1);
    Picker picker = new HealthDistributedStrategy(HealthDistributedConfig.DEFAULT, clock, RngSource.seeded(2)).newPicker(set);
    Endpoint failing = set.get(2);
    for (int i = 0; i < 30; i++) {
      failing.stats().begin();
      failing.stats().endFailure(1_000_000L, 0L);
    }
    // 10 imaginary successes against 30 failures: a score of 0.25, below the 0.5 floor.
    clock.advance(Duration.ofSeconds(1));

    assertThat(oneCycle(picker)).doesNotContainKey("c");
  }

  private Map<String, Integer> oneCycle(Picker picker) {
    Map<String, Integer> picks = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      Selection selection = picker.pick(RequestContext.EMPTY);
      if (!selection.isNone()) {
        picks.merge(selection.endpoint().id(), 1, Integer::sum);
        selection.ignore();
      }
    }
    return picks;
  }

  private static void checks(Endpoint endpoint, int passedOfEight) {
    for (int k = 0; k < 8; k++) {
      endpoint.stats().activeHealth().record(k < passedOfEight, NEVER, NEVER);
    }
  }
}
