package io.trafficcoordinator.plan;

import static io.trafficcoordinator.config.ConfigTrees.at;
import static io.trafficcoordinator.config.ConfigTrees.list;
import static io.trafficcoordinator.config.ConfigTrees.map;
import static io.trafficcoordinator.config.ConfigTrees.validDocument;
import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.config.ConfigBinder;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointStats;
import io.trafficcoordinator.endpoint.StatsSettings;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.ManualClock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficPlanBuilderTest {

  private final ManualClock clock = new ManualClock();
  private final TrafficPlanBuilder builder =
      new TrafficPlanBuilder(new BalancingContext(clock, RngSource.seeded(1)), StatsSettings.DEFAULT);

  private static Endpoint endpoint(TrafficPlan plan, String service, String id) {
    return plan.service(service).endpoints().endpoints().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void aChangeKeepsTheStatsOfEndpointsItKeepsAndForgetsRemovedOnes() throws Exception {
    TrafficPlan first = builder.build(1, ConfigBinder.bind(validDocument()));
    Selection inFlight = first.service("users").balancer().pick(RequestContext.EMPTY);
    EndpointStats keptStats = endpoint(first, "users", "users-b").stats();
    EndpointStats removedStats = endpoint(first, "users", "http://127.0.0.1:9001").stats();
    keptStats.begin();
    keptStats.endSuccess(5_000_000, 0);

    // Version 2: switch users to round robin, move users-b to a new URL (same id), drop :9001, add :9005.
    Map<String, Object> changed = validDocument();
    at(changed, "services", 0).put("strategy", "round-robin");
    at(changed, "services", 0).put("endpoints", list(
        map("url", "http://127.0.0.1:9102", "id", "users-b"),
        map("url", "http://127.0.0.1:9005")));
    TrafficPlan second = builder.build(2, ConfigBinder.bind(changed));

    assertThat(second.version()).isEqualTo(2);
    assertThat(second.service("users").strategy().name()).isEqualTo("round-robin");
    assertThat(endpoint(second, "users", "users-b").stats()).isSameAs(keptStats);
    assertThat(endpoint(second, "users", "users-b").address().port()).isEqualTo(9102);
    assertThat(keptStats.totalSuccesses()).isEqualTo(1);
    assertThat(endpoint(second, "users", "http://127.0.0.1:9005").stats()).isNotSameAs(removedStats);
    assertThat(second.service("users").endpoints().version()).isGreaterThan(first.service("users").endpoints().version());

    // The request picked on the first plan completes on the stats it started with.
    inFlight.succeed();
    assertThat(inFlight.endpoint().stats().inFlight()).isZero();
  }

  @Test
  void aRemovedServiceComesBackWithFreshStats() throws Exception {
    TrafficPlan first = builder.build(1, ConfigBinder.bind(validDocument()));
    EndpointStats before = endpoint(first, "orders", "http://127.0.0.1:9003").stats();
    Map<String, Object> without = validDocument();
    ((java.util.List<?>) without.get("services")).remove(1);
    ((java.util.List<?>) without.get("routes")).remove(1);
    builder.build(2, ConfigBinder.bind(without));

    TrafficPlan third = builder.build(3, ConfigBinder.bind(validDocument()));

    assertThat(endpoint(third, "orders", "http://127.0.0.1:9003").stats()).isNotSameAs(before);
  }
}
