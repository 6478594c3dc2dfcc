package io.trafficcoordinator.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.lab.Lab.PolicyRun;
import io.trafficcoordinator.lab.scenario.Scenario;
import io.trafficcoordinator.lab.scenario.TimedEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built-in scenarios as seeded, deterministic experiments: every policy on each scenario with
 * seeds 1, 2 and 3, 40,000 requests each (about 15 s for the whole set on two cores).
 *
 * <p>The relations asserted are the ones the strategies exist for, with margins the simulated
 * numbers clear on every seed: where round robin is not optimal (a slow node, mixed speeds) it
 * overloads the slow endpoints until requests time out, which puts its p99 at the 10 s timeout
 * while latency-aware strategies stay near the service time. The 10 % bound for
 * adaptive-intelligent against the best of the other nine policies is the requirement;
 * its p99 is estimated from 38,000 measured requests, so each p99 carries about 2 % of sampling
 * noise, which the results clear by a margin on every seed.
 */
class BuiltInScenariosTest {

  private static final long REQUESTS = 40_000;
  private static final long[] SEEDS = {1, 2, 3};
  private static final Map<String, Map<String, PolicyRun>> RUNS = new HashMap<>();

  @BeforeAll
  static void runEveryScenario() {
    for (String scenario : Lab.BUILT_IN) {
      for (long seed : SEEDS) {
        Map<String, PolicyRun> byPolicy = new HashMap<>();
        for (String policy : Lab.POLICIES) {
          byPolicy.put(policy, Lab.run(Lab.builtIn(scenario).withRequests(REQUESTS), seed, policy));
        }
        RUNS.put(scenario + "/" + seed, byPolicy);
      }
    }
  }

  static Stream<Arguments> everyScenarioAndSeed() {
    return Lab.BUILT_IN.stream().flatMap(s -> Stream.of(1L, 2L, 3L).map(seed -> Arguments.of(s, seed)));
  }

  static Stream<Arguments> roundRobinIsNotOptimal() {
    return Stream.of("slow-node", "heterogeneous").flatMap(s -> Stream.of(1L, 2L, 3L).map(seed -> Arguments.of(s, seed)));
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("roundRobinIsNotOptimal")
  void latencyAwareStrategiesBeatRoundRobin(String scenario, long seed) {
    Map<String, PolicyRun> runs = RUNS.get(scenario + "/" + seed);
    double roundRobin = runs.get("round-robin").p99Millis();

    assertThat(runs.get("least-latency").p99Millis()).isLessThan(roundRobin / 10);
    assertThat(runs.get("adaptive-intelligent").p99Millis()).isLessThan(roundRobin / 10);
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("everyScenarioAndSeed")
  void adaptiveIsWithinTenPercentOfTheBest(String scenario, long seed) {
    Map<String, PolicyRun> runs = RUNS.get(scenario + "/" + seed);
    double best = runs.entrySet().stream().filter(e -> !e.getKey().equals("adaptive-intelligent"))
        .mapToDouble(e -> e.getValue().p99Millis()).min().orElseThrow();

    assertThat(runs.get("adaptive-intelligent").p99Millis()).isLessThanOrEqualTo(best * 1.10);
  }

  /**
   * Zone a dies at 40 % of the run. The simulated checker probes each endpoint every second and
   * needs two failed checks, so a dead endpoint is out of every strategy's snapshot within two
   * intervals plus the fail-fast time. No policy may lose a request after that moment (plus the
   * check timeout as slack), including while zone a comes back at 80 %.
   */
  @ParameterizedTest(name = "seed {1}")
  @MethodSource("everyScenarioAndSeed")
  void theZoneOutageLosesNothingOnceFailoverCompletes(String scenario, long seed) {
    if (!scenario.equals("zone-outage")) {
      return;
    }
    Scenario outage = Lab.builtIn("zone-outage").withRequests(REQUESTS);
    TimedEvent kill = outage.events().stream().filter(e -> e.action() == TimedEvent.Action.KILL).findFirst().orElseThrow();
    Scenario.HealthChecks checks = outage.healthChecks();
    long failoverDone = kill.startNanos(outage.durationNanos())
        + checks.unhealthyThreshold() * checks.interval().toNanos() + checks.timeout().toNanos();

    for (Map.Entry<String, PolicyRun> run : RUNS.get("zone-outage/" + seed).entrySet()) {
      assertThat(run.getValue().recorder().errors()).as("%s loses requests while zone a is detected dead", run.getKey()).isPositive();
      assertThat(run.getValue().recorder().lastErrorNanos()).as(run.getKey()).isLessThanOrEqualTo(failoverDone);
    }
  }

  /** Cost-performance with its objective met spends less per request than the latency-only strategies. */
  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("everyScenarioAndSeed")
  void zoneAwareKeepsTrafficLocalAndCostAwareSpendsLess(String scenario, long seed) {
    Map<String, PolicyRun> runs = RUNS.get(scenario + "/" + seed);
    if (scenario.equals("zone-outage")) {
      // Zone a (40 % of callers) is gone for 40 % of the run: at most 84 % can be local.
      assertThat(runs.get("geographic-smart").recorder().localShare()).isGreaterThan(0.70);
      assertThat(runs.get("round-robin").recorder().localShare()).isLessThan(0.40);
    }
    if (scenario.equals("cost-skewed")) {
      for (String latencyOnly : List.of("least-latency", "adaptive-intelligent", "predictive-system")) {
        assertThat(runs.get("cost-performance-hybrid").recorder().costPerThousand())
            .isLessThan(runs.get(latencyOnly).recorder().costPerThousand());
      }
    }
  }
}
