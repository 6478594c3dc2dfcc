package io.trafficcoordinator.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.trafficcoordinator.balance.roundrobin.RoundRobinStrategy;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.TestEndpoints;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.ManualClock;
import io.trafficcoordinator.endpoint.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

  /**
   * Tier 0 = {a, b}, tier 1 = {c, d}. All healthy: tier 1 gets nothing. a fails its checks: tier 0
   * is 50 % healthy, its health 0.7, so tier 0 takes 70 % (all on b) and tier 1 30 %. b fails too:
   * 50 % of the service is out, which is not below the panic threshold, and all goes to tier 1.
   * Both recover: everything returns to tier 0.
   */
  @Test
  void trafficSpillsToTheNextTierAsTierZeroDegradesAndReturns() {
    List<Endpoint> list = new ArrayList<>();
    for (String id : List.of("a", "b", "c", "d")) {
      Endpoint e = TestEndpoints.endpoint(id, 1);
      list.add(new Endpoint(e.id(), e.address(), 1, "", id.compareTo("b") <= 0 ? 0 : 1, 0.0, e.stats()));
    }
    EndpointSet set = new EndpointSet(1, list);
    ServiceBalancer balancer = new ServiceBalancer("api", new RoundRobinStrategy(clock, RngSource.seeded(1)), set, 0.5,
        null, clock, BalancerEvents.NONE, new io.trafficcoordinator.random.SeededRng(3));
    assertThat(shares(balancer)).containsOnlyKeys("a", "b");

    set.get(0).stats().activeHealth().record(false, 1, 1);
    balancer.refresh();
    Map<String, Double> degraded = shares(balancer);
    assertThat(degraded).doesNotContainKey("a");
    assertThat(degraded.get("b")).isCloseTo(0.70, within(0.02));
    assertThat(degraded.get("c") + degraded.get("d")).isCloseTo(0.30, within(0.02));

    set.get(1).stats().activeHealth().record(false, 1, 1);
    balancer.refresh();
    assertThat(shares(balancer)).containsOnlyKeys("c", "d");

    set.get(0).stats().activeHealth().record(true, 1, 1);
    set.get(1).stats().activeHealth().record(true, 1, 1);
    balancer.refresh();
    assertThat(shares(balancer)).containsOnlyKeys("a", "b");
  }

  /** Two primaries in tier 0, one standby in tier 1: both primaries down is failover, not panic. */
  @Test
  void aDeadTierZeroBesideAHealthyTierOneIsFailoverNotPanic() {
    List<Endpoint> list = new ArrayList<>();
    for (String id : List.of("a", "b", "c")) {
      Endpoint e = TestEndpoints.endpoint(id, 1);
      list.add(new Endpoint(e.id(), e.address(), 1, "", id.equals("c") ? 1 : 0, 0.0, e.stats()));
    }
    EndpointSet set = new EndpointSet(1, list);
    ServiceBalancer balancer = new ServiceBalancer("api", new RoundRobinStrategy(clock, RngSource.seeded(1)), set, 0.5,
        null, clock, BalancerEvents.NONE, new io.trafficcoordinator.random.SeededRng(3));

    set.get(0).stats().activeHealth().record(false, 1, 1);
    set.get(1).stats().activeHealth().record(false, 1, 1);
    balancer.refresh();

    assertThat(balancer.isPanicking()).isFalse();
    assertThat(shares(balancer)).containsOnlyKeys("c");
  }

  private static Map<String, Double> shares(ServiceBalancer balancer) {
    Map<String, Double> shares = new HashMap<>();
    int picks = 10_000;
    for (int i = 0; i < picks; i++) {
      Selection selection = balancer.pick(RequestContext.EMPTY);
      shares.merge(selection.endpoint().id(), 1.0 / picks, Double::sum);
      selection.ignore();
    }
    return shares;
  }
}
