package io.trafficcoordinator.balance.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TierLoadTest {

  @Test
  void aHealthyTierZeroTakesEverything() {
    assertThat(TierLoad.loads(new double[] {1.0, 1.0})).containsExactly(new double[] {1.0, 0.0}, within(1e-12));
  }

  /** Envoy's example: tier 0 at 70 % healthy takes 98 %, tier 1 the other 2 %. */
  @Test
  void aDegradedTierSpillsInProportion() {
    assertThat(TierLoad.loads(new double[] {0.7, 1.0})).containsExactly(new double[] {0.98, 0.02}, within(1e-12));
    assertThat(TierLoad.loads(new double[] {0.5, 1.0, 1.0})).containsExactly(new double[] {0.7, 0.3, 0.0}, within(1e-12));
    assertThat(TierLoad.loads(new double[] {0.0, 1.0})).containsExactly(new double[] {0.0, 1.0}, within(1e-12));
  }

  /** Everything degraded: the loads are scaled up so that all traffic still goes somewhere. */
  @Test
  void whenEveryTierIsShortTheLoadsAreNormalised() {
    // health 0.28 and 0.42: sum 0.7, scaled to 0.4 and 0.6.
    assertThat(TierLoad.loads(new double[] {0.2, 0.3})).containsExactly(new double[] {0.4, 0.6}, within(1e-12));
    assertThat(TierLoad.loads(new double[] {0.0, 0.0})).containsExactly(new double[] {0.0, 0.0}, within(1e-12));
  }
}
