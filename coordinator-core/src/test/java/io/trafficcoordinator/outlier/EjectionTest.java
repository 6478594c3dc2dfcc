package io.trafficcoordinator.outlier;

import static io.trafficcoordinator.balance.service.Picks.picked;
import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.balance.BalancerEvents;
import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.balance.roundrobin.RoundRobinStrategy;
import io.trafficcoordinator.balance.service.ServiceBalancer;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.TestEndpoints;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Passive ejection through a service's balancer, on a fake clock. */
class EjectionTest {

  private final ManualClock clock = new ManualClock(0L);
  private final List<String> events = new ArrayList<>();
  private final BalancerEvents recorder = new BalancerEvents() {
    @Override
    public void ejected(String service, Endpoint endpoint, long forNanos, int times, EjectionReason reason) {
      events.add("ejected " + endpoint.id() + " for " + forNanos / 1_000_000_000L + "s (" + times + ")"
          + (reason == EjectionReason.CONSECUTIVE_FAILURES ? "" : " by " + reason.slug()));
    }

    @Override
    public void restored(String service, Endpoint endpoint) {
      events.add("restored " + endpoint.id());
    }
  };

  private ServiceBalancer balancer(EndpointSet set, OutlierConfig config) {
    return new ServiceBalancer("api", new RoundRobinStrategy(clock, RngSource.seeded(1)), set, 0.5,
        new Ejections(config), new BalancingContext(clock, RngSource.seeded(1), recorder));
  }

  private static void failRequests(Endpoint endpoint, int times) {
    for (int i = 0; i < times; i++) {
      endpoint.stats().begin();
      endpoint.stats().endFailure(1_000_000L, 0L);
    }
  }

  /**
   * Ejection for consecutive failures happens when a pick lands on the endpoint, as Envoy does it
   * on the request's result: a rebuild for something else (a health transition, a new plan, a
   * sweep) does not eject an endpoint no request has found failing.
   */
  @Test
  void onlyAPickThatLandsOnTheFailingEndpointEjectsIt() {
    EndpointSet set = TestEndpoints.equal(4);
    ServiceBalancer balancer = balancer(set, OutlierConfig.DEFAULT);
    Endpoint b = set.get(1);
    failRequests(b, 5);

    balancer.refresh();
    balancer.sweepOutliers();
    assertThat(b.stats().isEjected(clock.nanoTime())).isFalse();
    assertThat(events).isEmpty();

    assertThat(picked(balancer, 8)).containsExactlyInAnyOrder("a", "c", "d");
    assertThat(events).containsExactly("ejected b for 30s (1)");
  }

  /**
   * The interval sweep runs every second; when it ejects nobody the picker is kept, so what it has
   * learned (here: round robin's place in its cycle) carries on instead of starting over.
   */
  @Test
  void aSweepThatEjectsNobodyKeepsThePicker() {
    EndpointSet set = TestEndpoints.equal(3);
    ServiceBalancer balancer = balancer(set, OutlierConfig.DEFAULT);
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Selection selection = balancer.pick(RequestContext.EMPTY);
      order.add(selection.endpoint().id());
      selection.ignore();
      clock.advance(Duration.ofSeconds(1));
      balancer.sweepOutliers();
    }

    assertThat(order).containsExactly("a", "b", "c", "a", "b", "c");
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

    // 50 % of four: the first two failing endpoints picks land on go (which two depends on where
    // the round robin starts); the third, failing as badly, stays, since two are out already.
    Set<String> served = picked(balancer, 40);
    assertThat(events).hasSize(2);
    assertThat(served).hasSize(2).contains("d");
    assertThat(set.endpoints().stream().filter(e -> e.stats().isEjected(clock.nanoTime())).map(Endpoint::id))
        .hasSize(2).doesNotContainAnyElementsOf(served);
  }

  @Test
  void disabledMeansNoEjection() {
    EndpointSet set = TestEndpoints.equal(2);
    ServiceBalancer balancer = balancer(set, new OutlierConfig(false, 5, Duration.ofSeconds(30), Duration.ofMinutes(5), 50,
        Duration.ofSeconds(10), OutlierConfig.SuccessRate.DEFAULT, OutlierConfig.FailurePercentage.DEFAULT, true, OutlierConfig.Stall.DEFAULT));
    failRequests(set.get(0), 50);
    assertThat(picked(balancer, 4)).containsExactlyInAnyOrder("a", "b");
    assertThat(events).isEmpty();
  }

  /** {@code successes} then {@code failures} requests of {@code endpoint}, ending now. */
  private void answer(Endpoint endpoint, int successes, int failures) {
    for (int i = 0; i < successes; i++) {
      endpoint.stats().begin();
      endpoint.stats().endSuccess(1_000_000L, clock.nanoTime());
    }
    for (int i = 0; i < failures; i++) {
      endpoint.stats().begin();
      endpoint.stats().endFailure(1_000_000L, clock.nanoTime());
    }
  }

  @Test
  void anEndpointMuchLessSuccessfulThanItsPeersIsEjectedBySuccessRate() {
    EndpointSet set = TestEndpoints.equal(6);
    ServiceBalancer balancer = balancer(set, OutlierConfig.DEFAULT);
    // The first sweep starts the interval; no verdict without an interval of traffic.
    balancer.sweepOutliers();

    // Over the interval: five endpoints answer 199 or 200 of 200, f answers 170 of 200, its
    // failures spread out (never five in a row, so the consecutive detector stays quiet).
    clock.advance(Duration.ofSeconds(9));
    for (int i = 0; i < 5; i++) {
      answer(set.get(i), 200 - i % 2, i % 2);
    }
    for (int i = 0; i < 30; i++) {
      answer(set.get(5), 5, 1);
    }
    answer(set.get(5), 20, 0);
    balancer.sweepOutliers();
    assertThat(events).as("the interval is not over yet").isEmpty();

    // Mean 97.3 %, standard deviation 5.5 points: the threshold is 86.8 %; f, at 85 %, is out.
    clock.advance(Duration.ofSeconds(1));
    balancer.sweepOutliers();
    assertThat(events).containsExactly("ejected f for 30s (1) by success-rate");
    assertThat(picked(balancer, 12)).doesNotContain("f");
  }

  @Test
  void endpointsFailingAlikeAreNotOutliersAndFewEndpointsAreNotJudged() {
    EndpointSet six = TestEndpoints.equal(6);
    ServiceBalancer alike = balancer(six, OutlierConfig.DEFAULT);
    alike.sweepOutliers();
    clock.advance(Duration.ofSeconds(9));
    for (int i = 0; i < 6; i++) {
      for (int round = 0; round < 50; round++) {
        answer(six.get(i), 1, 1);
      }
    }
    clock.advance(Duration.ofSeconds(1));
    alike.sweepOutliers();

    EndpointSet four = TestEndpoints.equal(4);
    ServiceBalancer few = balancer(four, OutlierConfig.DEFAULT);
    few.sweepOutliers();
    clock.advance(Duration.ofSeconds(9));
    for (int i = 0; i < 3; i++) {
      answer(four.get(i), 200, 0);
    }
    for (int round = 0; round < 100; round++) {
      answer(four.get(3), 1, 1);
    }
    clock.advance(Duration.ofSeconds(1));
    few.sweepOutliers();

    assertThat(events).as("all at 50 %: no one below the mean; four endpoints: fewer than five to compare").isEmpty();
  }

  @Test
  void theFailurePercentageDetectorJudgesEachEndpointAlone() {
    EndpointSet set = TestEndpoints.equal(3);
    OutlierConfig config = new OutlierConfig(true, 1000, Duration.ofSeconds(30), Duration.ofMinutes(5), 50,
        Duration.ofSeconds(10), OutlierConfig.SuccessRate.DEFAULT, new OutlierConfig.FailurePercentage(true, 50, 3, 20), true,
        OutlierConfig.Stall.DEFAULT);
    ServiceBalancer balancer = balancer(set, config);
    balancer.sweepOutliers();
    clock.advance(Duration.ofSeconds(9));
    answer(set.get(0), 20, 0);
    answer(set.get(1), 10, 10);
    answer(set.get(2), 11, 9);
    clock.advance(Duration.ofSeconds(1));
    balancer.sweepOutliers();

    assertThat(events).containsExactly("ejected b for 30s (1) by failure-percentage");
  }

  @Test
  void eachIntervalInServiceShortensTheNextEjectionByOneStep() {
    EndpointSet set = TestEndpoints.equal(4);
    ServiceBalancer balancer = balancer(set, OutlierConfig.DEFAULT);
    Endpoint b = set.get(1);
    balancer.sweepOutliers();

    // Ejected twice running: 30 s, then 60 s.
    failRequests(b, 5);
    picked(balancer, 8);
    clock.advance(Duration.ofSeconds(30));
    picked(balancer, 8);
    failRequests(b, 5);
    picked(balancer, 8);
    clock.advance(Duration.ofSeconds(60));
    picked(balancer, 8);
    assertThat(b.stats().timesEjected()).isEqualTo(2);

    // Back in service: one sweep (10 s) forgives one ejection, so the next is 60 s, not 90 s.
    balancer.sweepOutliers();
    assertThat(b.stats().timesEjected()).isEqualTo(1);
    failRequests(b, 5);
    picked(balancer, 8);
    assertThat(events).containsExactly("ejected b for 30s (1)", "restored b", "ejected b for 60s (2)", "restored b",
        "ejected b for 60s (2)");

    // After two more intervals in service, it would start again from the base time.
    clock.advance(Duration.ofSeconds(60));
    picked(balancer, 8);
    for (int i = 0; i < 2; i++) {
      clock.advance(Duration.ofSeconds(10));
      balancer.sweepOutliers();
    }
    assertThat(b.stats().timesEjected()).isZero();
  }
}
