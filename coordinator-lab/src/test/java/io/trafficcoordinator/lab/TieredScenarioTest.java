package io.trafficcoordinator.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.lab.report.ReportTable;
import io.trafficcoordinator.lab.report.ScenarioResult;
import io.trafficcoordinator.lab.report.StrategyResult;
import io.trafficcoordinator.lab.scenario.Scenario;
import io.trafficcoordinator.lab.scenario.ScenarioReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A scenario whose endpoints have priority tiers: the balancer's draw between tiers takes its
 * random numbers from the run's seed like every other draw, so one seed gives one table.
 */
class TieredScenarioTest {

  /**
   * Tier 0 (zone a, where every client is) loses three of its four endpoints for the middle of the
   * run; the tier plan then keeps 35 % there and spills the rest to tier 1 (zone b).
   */
  private static final String SCENARIO = String.join("\n",
      "name: tier-failover",
      "description: tier 0 loses three of four endpoints from 30% to 70%; tier 1 takes the spill",
      "requests: 20000",
      "arrival: {rate: 1000}",
      "clients:",
      "  - {zone: a, share: 1.0}",
      "endpoints:",
      "  - {count: 4, idPrefix: primary, zone: a, tier: 0, concurrency: 4, serviceTime: {distribution: exponential, mean: 5ms}}",
      "  - {count: 4, idPrefix: standby, zone: b, tier: 1, concurrency: 4, serviceTime: {distribution: exponential, mean: 5ms}}",
      "network:",
      "  - {from: a, to: b, latency: 2ms}",
      "healthChecks: {interval: 1s, timeout: 500ms, healthyThreshold: 2, unhealthyThreshold: 2}",
      "events:",
      "  - {at: 30%, action: kill, endpoints: [primary-1, primary-2, primary-3]}",
      "  - {at: 70%, action: recover, endpoints: [primary-1, primary-2, primary-3]}",
      "");

  private static final List<String> POLICIES = List.of("round-robin", "least-latency", "adaptive-intelligent");

  @Test
  void oneSeedGivesOneTableWhenTiersDrawTraffic() throws Exception {
    Scenario scenario = ScenarioReader.read(SCENARIO);

    ScenarioResult first = Lab.runAll(scenario, 11, POLICIES);
    ScenarioResult second = Lab.runAll(scenario, 11, POLICIES);

    assertThat(ReportTable.markdown(second)).isEqualTo(ReportTable.markdown(first));
    for (int i = 0; i < POLICIES.size(); i++) {
      StrategyResult once = first.strategies().get(i);
      StrategyResult again = second.strategies().get(i);
      assertThat(again.requests()).isEqualTo(once.requests());
      assertThat(again.localShare()).isEqualTo(once.localShare());
      assertThat(again.cdfMillis()).containsExactly(once.cdfMillis());
      // The draw between tiers ran: some traffic left zone a, most stayed.
      assertThat(once.localShare()).as(once.strategy()).isBetween(0.5, 0.99);
    }
  }
}
