package io.trafficcoordinator.outlier;

import static io.trafficcoordinator.balance.service.Picks.picked;
import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.balance.BalancerEvents;
import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.balance.roundrobin.RoundRobinStrategy;
import io.trafficcoordinator.balance.service.ServiceBalancer;
import io.trafficcoordinator.breaker.BreakerConfig;
import io.trafficcoordinator.breaker.CircuitBreaker;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.TestEndpoints;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stall detection through a service's balancer, on a fake clock. */
class StallTest {

  private static final long MS = 1_000_000L;

  private final ManualClock clock = new ManualClock(0L);
  private final List<String> events = new ArrayList<>();
  private final BalancerEvents recorder = new BalancerEvents() {
    @Override
    public void stalled(String service, Endpoint endpoint, long silentNanos, int waiting) {
      events.add("stalled " + endpoint.id() + " after " + silentNanos / MS + " ms, " + waiting + " waiting");
    }

    @Override
    public void stallEnded(String service, Endpoint endpoint) {
      events.add("answering " + endpoint.id());
    }

    @Override
    public void ejected(String service, Endpoint endpoint, long forNanos, int times, EjectionReason reason) {
      events.add("ejected " + endpoint.id());
    }
  };

  private final EndpointSet set = TestEndpoints.equal(3);
  private final ServiceBalancer balancer = new ServiceBalancer("api", new RoundRobinStrategy(clock, RngSource.seeded(1)),
      set, 0.5, new Ejections(OutlierConfig.DEFAULT), new BalancingContext(clock, RngSource.seeded(1), recorder));

  /** A request picked, sent in full, and (unless {@code answerMillis} is negative) answered that long after. */
  private Selection sent(String id) {
    for (int i = 0; i < 6; i++) {
      Selection selection = balancer.pick(RequestContext.EMPTY);
      if (selection.endpoint().id().equals(id)) {
        selection.sent();
        return selection;
      }
      selection.ignore();
    }
    throw new AssertionError(id + " was not picked");
  }

  /** Ten answers of 5 ms from each endpoint: their usual latency. */
  private void warmUp() {
    for (int i = 0; i < 10; i++) {
      for (String id : List.of("a", "b", "c")) {
        Selection selection = sent(id);
        clock.advanceNanos(5 * MS);
        selection.answered();
        selection.succeed();
      }
    }
  }

  /** Peers keep answering: one request each to a and c, answered at once. */
  private void peersAnswer() {
    for (String id : List.of("a", "c")) {
      Selection selection = sent(id);
      selection.answered();
      selection.succeed();
    }
  }

  /**
   * b takes two requests and answers neither while a and c answer: past the floor of 200 ms (8 ×
   * its 5 ms p99 is less) it is stalled and not picked; its answers arriving end the stall.
   */
  @Test
  void anEndpointSilentWhileItsPeersAnswerIsNotPickedUntilItAnswers() {
    warmUp();
    Selection first = sent("b");
    Selection second = sent("b");
    clock.advanceNanos(150 * MS);
    peersAnswer();
    balancer.watchStalls();
    assertThat(events).isEmpty();
    clock.advanceNanos(60 * MS); // silent for 210 ms
    peersAnswer();
    balancer.watchStalls();
    assertThat(events).containsExactly("stalled b after 210 ms, 2 waiting");
    assertThat(picked(balancer, 4)).containsOnly("a", "c");

    first.answered();
    first.succeed();
    balancer.watchStalls();
    assertThat(events).endsWith("answering b");
    assertThat(picked(balancer, 3)).containsExactlyInAnyOrder("a", "b", "c");
    second.ignore();
  }

  /** One waiting request is not enough evidence, and neither is a silence that everyone shares. */
  @Test
  void oneWaitingRequestOrASilenceOfAllIsNoStall() {
    warmUp();
    Selection only = sent("b");
    clock.advanceNanos(500 * MS);
    peersAnswer();
    balancer.watchStalls();
    assertThat(events).isEmpty();
    only.ignore();

    List<Selection> waiting = new ArrayList<>();
    for (String id : List.of("a", "a", "b", "b", "c", "c")) {
      waiting.add(sent(id));
    }
    clock.advanceNanos(2_000 * MS);
    balancer.watchStalls();
    assertThat(events).isEmpty();
    waiting.forEach(Selection::ignore);
  }

  /**
   * The tries given up on a stalled endpoint count as its failures, so a black hole reaches the
   * consecutive-failures threshold (5) and is ejected; none of them counts toward its breaker.
   */
  @Test
  void abandonedTriesEjectABlackHoleButNeverOpenItsBreaker() {
    CircuitBreaker breaker = new CircuitBreaker(BreakerConfig.DEFAULT, CircuitBreaker.Listener.NONE);
    set.get(1).stats().installBreaker(breaker);
    warmUp();
    List<Selection> stuck = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      stuck.add(sent("b"));
    }
    clock.advanceNanos(250 * MS);
    peersAnswer();
    balancer.watchStalls();
    assertThat(events).containsExactly("stalled b after 250 ms, 5 waiting");
    stuck.forEach(Selection::abandon);
    assertThat(set.get(1).stats().consecutiveFailures()).isEqualTo(5);
    balancer.watchStalls(); // due for ejection while stalled: ejected without waiting for a pick
    balancer.watchStalls(); // the ejection takes over from the stall verdict
    assertThat(picked(balancer, 6)).containsOnly("a", "c");
    assertThat(events).containsExactly("stalled b after 250 ms, 5 waiting", "ejected b", "answering b");
    assertThat(breaker.isClosed()).isTrue();
  }

  /** One long request waiting, then a second: the silence counts from the second, not from the first. */
  @Test
  void oneLongRequestDoesNotMakeTheNextOneLookStalled() {
    warmUp();
    Selection report = sent("b");
    clock.advanceNanos(500 * MS);
    peersAnswer();
    Selection next = sent("b");
    clock.advanceNanos(50 * MS);
    balancer.watchStalls();
    assertThat(events).isEmpty();
    clock.advanceNanos(160 * MS);
    peersAnswer();
    balancer.watchStalls();
    assertThat(events).containsExactly("stalled b after 210 ms, 2 waiting");
    report.ignore();
    next.ignore();
  }

  /** A half-open breaker's trial given up on a stalled endpoint counts as a failed trial: the circuit opens again. */
  @Test
  void anAbandonedTrialReopensAHalfOpenCircuit() {
    CircuitBreaker breaker = new CircuitBreaker(new BreakerConfig(true, 50, 100, Duration.ofSeconds(5), 4,
        Duration.ofSeconds(1), 1), CircuitBreaker.Listener.NONE);
    set.get(1).stats().installBreaker(breaker);
    for (int i = 0; i < 4; i++) {
      Selection failed = Selection.start(set.get(1), clock);
      failed.fail();
    }
    assertThat(breaker.isOpen(clock.nanoTime())).isTrue();
    clock.advanceNanos(1_100 * MS);
    assertThat(breaker.admit(clock.nanoTime())).isTrue(); // the one trial
    Selection trial = Selection.start(set.get(1), clock);
    trial.sent();
    trial.abandon();
    assertThat(breaker.isOpen(clock.nanoTime())).isTrue();
  }

  /** A slow answer to a request sent before the endpoint was judged stalled does not reach its breaker. */
  @Test
  void answersToRequestsSentBeforeTheStallDoNotCountTowardTheBreaker() {
    // Every call of 1 s or more is slow; four such calls in a window of at least four open it.
    CircuitBreaker breaker = new CircuitBreaker(new BreakerConfig(true, 50, 50, Duration.ofSeconds(1), 4,
        Duration.ofSeconds(30), 3), CircuitBreaker.Listener.NONE);
    set.get(1).stats().installBreaker(breaker);
    warmUp();
    List<Selection> stuck = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      stuck.add(sent("b"));
    }
    clock.advanceNanos(300 * MS);
    peersAnswer();
    balancer.watchStalls();
    clock.advanceNanos(5_000 * MS);
    for (Selection selection : stuck) {
      selection.answered();
      selection.succeed(); // 5.3 s: slow calls, all of them
    }
    assertThat(breaker.isClosed()).isTrue();
    assertThat(set.get(1).stats().totalSuccesses()).isEqualTo(14);
  }
}
