package io.trafficcoordinator.balance.service;

import static io.trafficcoordinator.balance.service.Picks.picked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.balance.roundrobin.RoundRobinStrategy;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.TestEndpoints;
import io.trafficcoordinator.outlier.Ejections;
import io.trafficcoordinator.outlier.OutlierConfig;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.ManualClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServiceBalancerTest {

  private final ManualClock clock = new ManualClock(0L);

  /** Endpoints their checks call unhealthy are left out once the balancer is refreshed. */
  @Test
  void leavesOutEndpointsThatFailTheirChecks() {
    EndpointSet set = TestEndpoints.equal(4);
    ServiceBalancer balancer = new ServiceBalancer("api", new RoundRobinStrategy(clock, RngSource.seeded(1)), set, 0.5, null,
        new BalancingContext(clock, RngSource.seeded(3)));

    set.get(1).stats().activeHealth().record(false, 1, 1);
    balancer.refresh();

    assertThat(picked(balancer, 40)).containsExactlyInAnyOrder("a", "c", "d");
    assertThat(balancer.isPanicking()).isFalse();
  }

  /** Half the endpoints healthy is not below a 50 % threshold; fewer is, and then all are used. */
  @Test
  void panicsBelowTheThresholdAndUsesEveryEndpoint() {
    EndpointSet set = TestEndpoints.equal(4);
    ServiceBalancer balancer = new ServiceBalancer("api", new RoundRobinStrategy(clock, RngSource.seeded(1)), set, 0.5, null,
        new BalancingContext(clock, RngSource.seeded(3)));

    set.get(0).stats().activeHealth().record(false, 1, 1);
    set.get(1).stats().activeHealth().record(false, 1, 1);
    balancer.refresh();
    assertThat(picked(balancer, 40)).containsExactlyInAnyOrder("c", "d");

    set.get(2).stats().activeHealth().record(false, 1, 1);
    balancer.refresh();
    assertThat(balancer.isPanicking()).isTrue();
    assertThat(picked(balancer, 40)).containsExactlyInAnyOrder("a", "b", "c", "d");
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
        null, new BalancingContext(clock, RngSource.seeded(3)));
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
        null, new BalancingContext(clock, RngSource.seeded(3)));

    set.get(0).stats().activeHealth().record(false, 1, 1);
    set.get(1).stats().activeHealth().record(false, 1, 1);
    balancer.refresh();

    assertThat(balancer.isPanicking()).isFalse();
    assertThat(shares(balancer)).containsOnlyKeys("c");
  }

  /**
   * A rebuild that takes its time (a strategy's newPicker stuck on a latch) does not hold up the
   * request path: another thread's pick is answered from the snapshot in force, and its refresh
   * returns at once and is folded into one more rebuild by the thread already rebuilding.
   */
  @Test
  void picksAndRefreshesNeverWaitForARebuildInProgress() throws Exception {
    EndpointSet set = TestEndpoints.equal(4);
    SlowToBuild slowToBuild = new SlowToBuild(new RoundRobinStrategy(clock, RngSource.seeded(1)));
    ServiceBalancer balancer = new ServiceBalancer("api", slowToBuild, set, 0.5, null,
        new BalancingContext(clock, RngSource.seeded(3)));
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      slowToBuild.holdNext.set(true);
      set.get(3).stats().activeHealth().record(false, 1, 1);
      Future<?> stuckRebuild = threads.submit(balancer::refresh);
      assertThat(slowToBuild.rebuilding.await(10, TimeUnit.SECONDS)).isTrue();

      Future<String> pick = threads.submit(() -> {
        set.get(2).stats().activeHealth().record(false, 1, 1);
        balancer.refresh();
        Selection selection = balancer.pick(RequestContext.EMPTY);
        selection.ignore();
        return selection.endpoint().id();
      });
      assertThat(pick.get(10, TimeUnit.SECONDS)).as("answered while the rebuild is stuck").isIn("a", "b", "c", "d");
      assertThat(stuckRebuild.isDone()).isFalse();

      slowToBuild.release.countDown();
      stuckRebuild.get(10, TimeUnit.SECONDS);
      assertThat(slowToBuild.pickersBuilt.get()).as("the first, the stuck one, and the one asked for meanwhile").isEqualTo(3);
      assertThat(picked(balancer, 10)).containsExactlyInAnyOrder("a", "b");
    } finally {
      slowToBuild.release.countDown();
      threads.shutdownNow();
    }
  }

  /**
   * While another thread's rebuild is stuck, a pick that lands on an endpoint due for ejection
   * serves the request (there is nowhere else to go in a one-endpoint service, and the ejection is
   * not in force yet) instead of refusing it; the rebuild already running ejects it afterwards.
   */
  @Test
  void anEndpointDueForEjectionServesUntilTheRebuildRunningEjectsIt() throws Exception {
    EndpointSet set = TestEndpoints.equal(1);
    SlowToBuild slowToBuild = new SlowToBuild(new RoundRobinStrategy(clock, RngSource.seeded(1)));
    ServiceBalancer balancer = new ServiceBalancer("api", slowToBuild, set, 0.5,
        new Ejections(OutlierConfig.DEFAULT), new BalancingContext(clock, RngSource.seeded(3)));
    Endpoint only = set.get(0);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      slowToBuild.holdNext.set(true);
      only.stats().activeHealth().record(false, 1, 1);
      Future<?> stuckRebuild = threads.submit(balancer::refresh);
      assertThat(slowToBuild.rebuilding.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 5; i++) {
        only.stats().begin();
        only.stats().endFailure(1_000_000L, 0L);
      }

      Future<Selection> pick = threads.submit(() -> balancer.pick(RequestContext.EMPTY));
      Selection selection = pick.get(10, TimeUnit.SECONDS);
      assertThat(selection.isNone()).isFalse();
      assertThat(selection.endpoint()).isSameAs(only);
      selection.ignore();

      slowToBuild.release.countDown();
      stuckRebuild.get(10, TimeUnit.SECONDS);
      assertThat(only.stats().isEjected(clock.nanoTime())).as("ejected by the rebuild that was running").isTrue();
      assertThat(only.stats().inFlight()).isZero();
    } finally {
      slowToBuild.release.countDown();
      threads.shutdownNow();
    }
  }

  /** A strategy whose next picker, once asked to, is held until released: a rebuild that takes its time. */
  private static final class SlowToBuild implements Strategy {
    final CountDownLatch rebuilding = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean holdNext = new AtomicBoolean();
    final AtomicInteger pickersBuilt = new AtomicInteger();
    private final Strategy real;

    SlowToBuild(Strategy real) {
      this.real = real;
    }

    @Override
    public String name() {
      return "slow-to-build";
    }

    @Override
    public Picker newPicker(EndpointSet endpoints) {
      pickersBuilt.incrementAndGet();
      if (holdNext.getAndSet(false)) {
        rebuilding.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return real.newPicker(endpoints);
    }
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
