package io.trafficcoordinator.outlier;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.balance.BalancerEvents;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.balance.ServiceBalancer;
import io.trafficcoordinator.balance.roundrobin.RoundRobinStrategy;
import io.trafficcoordinator.config.OutlierConfig;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.TestEndpoints;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Passive ejection through a service's balancer, on a fake clock. */
class EjectionTest {

  private final ManualClock clock = new ManualClock(0L);
  private final List<String> events = new ArrayList<>();
  private final BalancerEvents recorder = new BalancerEvents() {
    @Override
    public void ejected(String service, Endpoint endpoint, long forNanos, int times) {
      events.add("ejected " + endpoint.id() + " for " + forNanos / 1_000_000_000L + "s (" + times + ")");
    }

    @Override
    public void restored(String service, Endpoint endpoint) {
      events.add("restored " + endpoint.id());
    }
  };

  private ServiceBalancer balancer(EndpointSet set, OutlierConfig config) {
    return new ServiceBalancer("api", new RoundRobinStrategy(clock, RngSource.seeded(1)), set, 0.5,
        new Ejections(config), clock, recorder, new io.trafficcoordinator.random.SeededRng(1));
  }

  private static void failRequests(Endpoint endpoint, int times) {
    for (int i = 0; i < times; i++) {
      endpoint.stats().begin();
      endpoint.stats().endFailure(1_000_000L, 0L);
    }
  }

  private Set<String> picked(ServiceBalancer balancer, int times) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < times; i++) {
      Selection selection = balancer.pick(RequestContext.EMPTY);
      ids.add(selection.endpoint().id());
      selection.ignore();
    }
    return ids;
  }

  @Test
  void consecutiveFailuresEjectForBaseTimesCountThenRestore() {
    EndpointSet set = TestEndpoints.equal(4);
    ServiceBalancer balancer = balancer(set, OutlierConfig.DEFAULT);
    Endpoint b = set.get(1);

    // Four failures in a row: not yet.
    failRequests(b, 4);
    assertThat(picked(balancer, 8)).contains("b");
    // The fifth: the next pick that lands on b ejects it, and is made again elsewhere.
    failRequests(b, 1);
    assertThat(picked(balancer, 8)).containsExactlyInAnyOrder("a", "c", "d");
    assertThat(events).containsExactly("ejected b for 30s (1)");
    assertThat(b.stats().consecutiveFailures()).as("cleared for a fresh start").isZero();

    // 30 s later it is back.
    clock.advance(Duration.ofSeconds(30));
    assertThat(picked(balancer, 8)).contains("b");
    assertThat(events).containsExactly("ejected b for 30s (1)", "restored b");

    // Failing again: out twice as long.
    failRequests(b, 5);
    assertThat(picked(balancer, 8)).doesNotContain("b");
    clock.advance(Duration.ofSeconds(59));
    assertThat(picked(balancer, 8)).doesNotContain("b");
    clock.advance(Duration.ofSeconds(1));
    assertThat(picked(balancer, 8)).contains("b");
    assertThat(events).containsExactly("ejected b for 30s (1)", "restored b", "ejected b for 60s (2)", "restored b");
  }

  /** Requests in flight at the ejection that fail afterwards do not re-arm it: b returns and is tried. */
  @Test
  void failuresOfRequestsInFlightAtTheEjectionDoNotEjectAgainOnReturn() {
    EndpointSet set = TestEndpoints.equal(4);
    ServiceBalancer balancer = balancer(set, OutlierConfig.DEFAULT);
    Endpoint b = set.get(1);
    failRequests(b, 5);
    assertThat(picked(balancer, 8)).doesNotContain("b");
    failRequests(b, 5);

    clock.advance(Duration.ofSeconds(30));

    assertThat(picked(balancer, 8)).contains("b");
    assertThat(events).containsExactly("ejected b for 30s (1)", "restored b");
  }

  @Test
  void neverMoreThanTheCapAtOnce() {
    EndpointSet set = TestEndpoints.equal(4);
    ServiceBalancer balancer = balancer(set, OutlierConfig.DEFAULT);
    for (int i = 0; i < 3; i++) {
      failRequests(set.get(i), 5);
    }

    // 50 % of four: a and b go; c, failing as badly, stays, since two are out already.
    assertThat(picked(balancer, 40)).containsExactlyInAnyOrder("c", "d");
    assertThat(events).hasSize(2);
  }

  @Test
  void disabledMeansNoEjection() {
    EndpointSet set = TestEndpoints.equal(2);
    ServiceBalancer balancer = balancer(set, new OutlierConfig(false, 5, Duration.ofSeconds(30), Duration.ofMinutes(5), 50));
    failRequests(set.get(0), 50);
    assertThat(picked(balancer, 4)).containsExactlyInAnyOrder("a", "b");
    assertThat(events).isEmpty();
  }
}
