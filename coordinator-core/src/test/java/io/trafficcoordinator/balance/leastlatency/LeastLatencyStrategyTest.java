package io.trafficcoordinator.balance.leastlatency;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.TestEndpoints;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.random.ScriptedRng;
import io.trafficcoordinator.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeastLatencyStrategyTest {

  private final ManualClock clock = new ManualClock();

  /**
   * Endpoint a answers in 10 ms, b in 100 ms; one request at a time, a new one every 10 ms of
   * virtual time, for ten virtual minutes. Once a few samples have converged, at least 90% of picks
   * must go to a — yet b must still be tried now and then (its idle estimate decays until it looks
   * worth probing), so it would be found again if it recovered.
   */
  @Test
  void sendsNearlyAllTrafficToTheFasterEndpointYetKeepsProbingTheOther() {
    EndpointSet set = TestEndpoints.weighted(1, 1);
    Picker picker = new LeastLatencyStrategy(clock, RngSource.seeded(7)).newPicker(set);
    int warmUp = 100;
    int measured = 60_000;
    int toFast = 0;
    List<Integer> slowPicks = new ArrayList<>();

    for (int i = 0; i < warmUp + measured; i++) {
      Selection selection = picker.pick(RequestContext.EMPTY);
      boolean fast = selection.endpoint().id().equals("a");
      clock.advance(Duration.ofMillis(fast ? 10 : 100));
      selection.succeed();
      if (i >= warmUp) {
        if (fast) {
          toFast++;
        } else {
          slowPicks.add(i);
        }
      }
    }

    assertThat(toFast).isGreaterThanOrEqualTo(measured * 9 / 10);
    assertThat(slowPicks).as("the slow endpoint is probed again after convergence").hasSizeGreaterThanOrEqualTo(3);
    assertThat(slowPicks.get(slowPicks.size() - 1)).as("probing continues to the end").isGreaterThan(warmUp + measured / 2);
  }

  /** With equal latency, the endpoint with fewer requests in flight wins: the (in-flight + 1) factor. */
  @Test
  void prefersFewerRequestsInFlightAtEqualLatency() {
    EndpointSet set = TestEndpoints.weighted(1, 1);
    for (int i = 0; i < 2; i++) {
      Selection s = Selection.start(set.get(i), clock);
      clock.advance(Duration.ofMillis(20));
      s.succeed();
    }
    Selection busy = Selection.start(set.get(0), clock);
    // Script the pair so that a (busy) is drawn first: a = 0, then b = 0 skips to 1.
    Picker picker = new LeastLatencyStrategy(clock, () -> new ScriptedRng(0, 0)).newPicker(set);

    Selection chosen = picker.pick(RequestContext.EMPTY);

    assertThat(chosen.endpoint().id()).isEqualTo("b");
    busy.succeed();
    chosen.succeed();
  }

  /** A failure counts as at least the one-second penalty, so a fast error is not attractive. */
  @Test
  void fastFailuresDoNotAttractTraffic() {
    EndpointSet set = TestEndpoints.weighted(1, 1);
    Selection failing = Selection.start(set.get(0), clock);
    Selection healthy = Selection.start(set.get(1), clock);
    clock.advance(Duration.ofMillis(1));
    failing.fail();
    clock.advance(Duration.ofMillis(49));
    healthy.succeed();
    Picker picker = new LeastLatencyStrategy(clock, () -> new ScriptedRng(0, 0)).newPicker(set);

    assertThat(picker.pick(RequestContext.EMPTY).endpoint().id()).isEqualTo("b");
  }

  /** A new endpoint is estimated at its peers' mean: not flooded as if it were free. */
  @Test
  void newEndpointStartsAtThePeersMeanEstimate() {
    EndpointSet set = TestEndpoints.weighted(1, 1, 1);
    for (int i = 0; i < 2; i++) {
      Selection s = Selection.start(set.get(i), clock);
      clock.advance(Duration.ofMillis(i == 0 ? 10 : 30));
      s.succeed();
    }
    // Mean of 10 ms and 30 ms is 20 ms: c (new) beats b (30 ms) and loses to a (about 10 ms).
    LeastLatencyStrategy strategy = new LeastLatencyStrategy(clock, () -> new ScriptedRng(2, 1));
    assertThat(strategy.newPicker(set).pick(RequestContext.EMPTY).endpoint().id()).isEqualTo("c");
    LeastLatencyStrategy other = new LeastLatencyStrategy(clock, () -> new ScriptedRng(2, 0));
    assertThat(other.newPicker(set).pick(RequestContext.EMPTY).endpoint().id()).isEqualTo("a");
  }
}
