package io.trafficcoordinator.balance.predictive;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.TestEndpoints;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.random.SeededRng;
import io.trafficcoordinator.time.ManualClock;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class PredictiveStrategyTest {

  /**
   * Three endpoints answer in 10 ms (±10 % noise, seeded); from t = 10 s, a's latency climbs
   * linearly and reaches 20 ms, double, at t = 40 s. Requests go one at a time. Before a's latency
   * has risen by half (t < 25 s), the predictor must have moved traffic off it: from the moment
   * its latency is 20 % up (t = 16 s) until it is 50 % up, a gets less than half its fair third.
   */
  @Property(tries = 10)
  void movesTrafficOffARisingEndpointBeforeItsLatencyDoubles(@ForAll @IntRange(min = 0, max = 10_000) int seed) {
    ManualClock clock = new ManualClock(0L);
    EndpointSet set = TestEndpoints.equal(3);
    Picker picker = new PredictiveStrategy(PredictiveConfig.DEFAULT, clock, RngSource.seeded(seed)).newPicker(set);
    SeededRng noise = new SeededRng(seed);
    long start = Duration.ofSeconds(16).toNanos();
    long end = Duration.ofSeconds(25).toNanos();
    int toA = 0;
    int total = 0;

    while (clock.nanoTime() < end) {
      long now = clock.nanoTime();
      Selection selection = picker.pick(RequestContext.EMPTY);
      boolean isA = selection.endpoint().id().equals("a");
      double latencyMillis = (isA ? latencyOfA(now) : 10.0) * (0.9 + 0.2 * noise.nextDouble());
      clock.advanceNanos((long) (latencyMillis * 1e6));
      selection.succeed();
      if (now >= start) {
        total++;
        toA += isA ? 1 : 0;
      }
    }

    assertThat(toA / (double) total).isLessThan(1.0 / 6);
  }

  /** 10 ms until 10 s, then rising linearly to 20 ms at 40 s. */
  private static double latencyOfA(long nowNanos) {
    double seconds = nowNanos / 1e9;
    return seconds < 10 ? 10.0 : 10.0 + (seconds - 10) / 3.0;
  }
}
