package io.trafficcoordinator.balance.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.TestEndpoints;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The tier plan on its own: tiers and who is eligible in, each tier's share out. */
class TierPlanTest {

  private final Endpoint a = TestEndpoints.endpoint("a", 1);
  private final Endpoint b = TestEndpoints.endpoint("b", 3);
  private final Endpoint c = TestEndpoints.endpoint("c", 1);
  private final Endpoint d = TestEndpoints.endpoint("d", 1);
  private final SortedMap<Integer, List<Endpoint>> byTier = new TreeMap<>(Map.of(0, List.of(a, b), 1, List.of(c, d)));

  @Test
  void aHealthyTierZeroTakesEverything() {
    TierPlan plan = TierPlan.of(byTier, Set.of(a, b, c, d), 0.5).orElseThrow();

    assertThat(plan.loads()).containsExactly(1.0, 0.0);
    assertThat(plan.takesTraffic(0)).isTrue();
    assertThat(plan.takesTraffic(1)).isFalse();
    assertThat(plan.eligible()).containsExactly(List.of(a, b), List.of(c, d));
  }

  /**
   * Tier 0 keeps b, three quarters of its configured weight: its health is min(1, 1.4 x 0.75) = 1,
   * so it still takes everything. Losing b instead leaves a quarter: 0.35 stays, 0.65 spills over.
   */
  @Test
  void healthIsByConfiguredWeightAndSpillsOverTheOverprovisionedShare() {
    TierPlan keepsB = TierPlan.of(byTier, Set.of(b, c, d), 0.5).orElseThrow();
    assertThat(keepsB.loads()[0]).isEqualTo(1.0);

    TierPlan keepsA = TierPlan.of(byTier, Set.of(a, c, d), 0.5).orElseThrow();
    assertThat(keepsA.loads()[0]).isCloseTo(0.35, within(1e-9));
    assertThat(keepsA.loads()[1]).isCloseTo(0.65, within(1e-9));
    assertThat(keepsA.eligible().get(0)).containsExactly(a);
  }

  /** A dead tier 0 beside a healthy tier 1 is failover; both tiers mostly dead is panic (no plan). */
  @Test
  void aDeadTierIsFailoverButAMostlyDeadServicePanics() {
    TierPlan failover = TierPlan.of(byTier, Set.of(c, d), 0.5).orElseThrow();
    assertThat(failover.loads()).containsExactly(0.0, 1.0);
    assertThat(failover.takesTraffic(0)).isFalse();

    // Tier 1 at half its weight alone: health 0.7, not below 0.5; a threshold of 0.8 is panic.
    assertThat(TierPlan.of(byTier, Set.of(c), 0.5)).isPresent();
    assertThat(TierPlan.of(byTier, Set.of(c), 0.8)).isEqualTo(Optional.empty());
    assertThat(TierPlan.of(byTier, Set.of(), 0.5)).isEmpty();
  }
}
