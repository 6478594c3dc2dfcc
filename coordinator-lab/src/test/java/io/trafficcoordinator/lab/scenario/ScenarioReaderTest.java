package io.trafficcoordinator.lab.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trafficcoordinator.config.tree.InvalidConfigException;
import io.trafficcoordinator.lab.Lab;
import io.trafficcoordinator.lab.scenario.TimedEvent.Action;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScenarioReaderTest {

  @Test
  void everyBuiltInScenarioReads() {
    for (String name : Lab.BUILT_IN) {
      Scenario scenario = Lab.builtIn(name);
      assertThat(scenario.name()).isEqualTo(name);
      assertThat(scenario.endpoints()).isNotEmpty();
      assertThat(scenario.strategies()).hasSize(8);
    }
  }

  @Test
  void readsEndpointsEventsNetworkAndDefaults() throws Exception {
    Scenario scenario = ScenarioReader.read(String.join("\n",
        "name: mine",
        "requests: 10000",
        "arrival: {rate: 100, rampTo: 300}",
        "clients: [{zone: a, share: 3}, {zone: b, share: 1}]",
        "endpoints:",
        "  - {count: 2, idPrefix: web, zone: a, concurrency: 8, cost: 0.5, serviceTime: {distribution: log-normal, median: 12ms, sigma: 0.3}}",
        "  - {id: batch, zone: b, serviceTime: {distribution: constant, mean: 1.5s}}",
        "network: [{from: a, to: b, latency: 750us}]",
        "events:",
        "  - {at: 25s, action: stall, endpoints: [web-1], duration: 200ms, every: 5s}",
        "  - {at: 90%, action: kill, zone: b}",
        ""));

    // 10,000 requests at a mean rate of 200/s: a 50 s run, so 25 s is half way.
    assertThat(scenario.durationNanos()).isEqualTo(Duration.ofSeconds(50).toNanos());
    assertThat(scenario.endpoints()).extracting(EndpointModel::id).containsExactly("web-1", "web-2", "batch");
    assertThat(scenario.endpoints().get(0).capacityPerSecond()).isCloseTo(8 / (0.012 * Math.exp(0.045)), org.assertj.core.data.Offset.offset(0.01));
    assertThat(scenario.endpoints().get(2).serviceTime().meanNanos()).isEqualTo(1.5e9);
    assertThat(scenario.events()).extracting(e -> e.startNanos(scenario.durationNanos()))
        .containsExactly(Duration.ofSeconds(25).toNanos(), Duration.ofSeconds(45).toNanos());
    // With twice the requests the run lasts twice as long: the timed event stays at 25 s, the share moves.
    Scenario longer = scenario.withRequests(20_000);
    assertThat(longer.events()).extracting(e -> e.startNanos(longer.durationNanos()))
        .containsExactly(Duration.ofSeconds(25).toNanos(), Duration.ofSeconds(90).toNanos());
    assertThat(scenario.events().get(0).everyNanos()).isEqualTo(Duration.ofSeconds(5).toNanos());
    assertThat(scenario.events().get(1).action()).isEqualTo(Action.KILL);
    assertThat(scenario.events().get(1).endpoints()).containsExactly("batch");
    assertThat(scenario.networkNanos("b", "a")).as("a link holds both ways").isEqualTo(750_000L);
    assertThat(scenario.networkNanos("a", "a")).isZero();
    assertThat(scenario.clientZones()).containsEntry("a", 3.0).containsEntry("b", 1.0);
    assertThat(scenario.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(scenario.healthChecks().enabled()).isTrue();
    assertThat(scenario.warmUpFraction()).isEqualTo(0.05);
  }

  @Test
  void refusesTimesThatWouldStallOrOverflowTheSimulation() {
    assertThatThrownBy(() -> ScenarioReader.read(String.join("\n",
        "name: bounds",
        "timeout: 0ms",
        "healthChecks: {interval: 0s}",
        "clients: [{zone: a, share: 0}]",
        "endpoints: [{serviceTime: {mean: 1000000m}}]",
        "")))
        .isInstanceOf(InvalidConfigException.class)
        .satisfies(e -> assertThat(((InvalidConfigException) e).problems()).extracting(Object::toString).containsExactly(
            "clients[0].share: must be between 1.0E-9 and 1.0E9, got 0",
            "endpoints[0].serviceTime.mean: must be between 1us and 86400s, got '1000000m'",
            "timeout: must be between 1ms and 3600s, got '0ms'",
            "healthChecks.interval: must be between 1ms and 3600s, got '0s'"));
  }

  @Test
  void reportsEveryProblemWithItsPath() {
    assertThatThrownBy(() -> ScenarioReader.read(String.join("\n",
        "requests: 5",
        "arrival: {rate: fast}",
        "endpoints:",
        "  - {count: 2, serviceTime: {mean: 10 ms}, colour: red}",
        "")))
        .isInstanceOf(InvalidConfigException.class)
        .satisfies(e -> assertThat(((InvalidConfigException) e).problems()).extracting(Object::toString).containsExactly(
            "name: is required",
            "requests: must be between 100 and 100000000, got 5",
            "arrival.rate: expected a number, got 'fast'",
            "endpoints[0].serviceTime.mean: expected a time like 250us, 10ms, 1.5s or 2m, got '10 ms'",
            "endpoints[0].colour: unknown key"));
  }
}
