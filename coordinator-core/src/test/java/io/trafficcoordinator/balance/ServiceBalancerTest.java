package io.trafficcoordinator.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.balance.roundrobin.RoundRobinStrategy;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.TestEndpoints;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.ManualClock;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceBalancerTest {

  private final ManualClock clock = new ManualClock(0L);

  /** Endpoints their checks call unhealthy are left out once the balancer is refreshed. */
  @Test
  void leavesOutEndpointsThatFailTheirChecks() {
    EndpointSet set = TestEndpoints.equal(4);
    ServiceBalancer balancer = new ServiceBalancer(new RoundRobinStrategy(clock, RngSource.seeded(1)), set, 0.5);

    set.get(1).stats().activeHealth().record(false, 1, 1);
    balancer.refresh();

    assertThat(picked(balancer, 40)).containsExactlyInAnyOrder("a", "c", "d");
    assertThat(balancer.isPanicking()).isFalse();
  }

  /** Half the endpoints healthy is not below a 50 % threshold; fewer is, and then all are used. */
  @Test
  void panicsBelowTheThresholdAndUsesEveryEndpoint() {
    EndpointSet set = TestEndpoints.equal(4);
    ServiceBalancer balancer = new ServiceBalancer(new RoundRobinStrategy(clock, RngSource.seeded(1)), set, 0.5);

    set.get(0).stats().activeHealth().record(false, 1, 1);
    set.get(1).stats().activeHealth().record(false, 1, 1);
    balancer.refresh();
    assertThat(picked(balancer, 40)).containsExactlyInAnyOrder("c", "d");

    set.get(2).stats().activeHealth().record(false, 1, 1);
    balancer.refresh();
    assertThat(balancer.isPanicking()).isTrue();
    assertThat(picked(balancer, 40)).containsExactlyInAnyOrder("a", "b", "c", "d");
  }

  private static Set<String> picked(ServiceBalancer balancer, int times) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < times; i++) {
      Selection selection = balancer.pick(RequestContext.EMPTY);
      ids.add(selection.endpoint().id());
      selection.ignore();
    }
    return ids;
  }
}
