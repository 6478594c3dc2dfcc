package io.trafficcoordinator.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.trafficcoordinator.balance.catalog.StrategyCatalog;
import io.trafficcoordinator.config.tree.ConfigReading;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.TestEndpoints;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.ManualClock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** What every strategy of the catalog promises, whatever its algorithm. */
class StrategyContractTest {

  @Provide
  Arbitrary<String> strategies() {
    return Arbitraries.of(StrategyCatalog.names());
  }

  private static Strategy create(String name, ManualClock clock, long seed) {
    ConfigReading reading = new ConfigReading();
    StrategyConfig config = StrategyCatalog.read("", name, Map.of(), reading);
    assertThat(reading.problems()).isEmpty();
    Strategy strategy = config.create(new BalancingContext(clock, RngSource.seeded(seed)));
    assertThat(strategy.name()).isEqualTo(name);
    return strategy;
  }

  /** No endpoints: "none" with the reason, never an exception. */
  @Property(tries = 16)
  void anEmptyServiceYieldsNone(@ForAll("strategies") String name) {
    Picker picker = create(name, new ManualClock(0L), 1).newPicker(EndpointSet.empty());
    Selection selection = picker.pick(RequestContext.EMPTY);
    assertThat(selection.isNone()).isTrue();
    assertThat(selection.reason()).isEqualTo(NoEndpointReason.NO_ENDPOINTS);
  }

  /**
   * Over any fleet size, with or without a caller zone, as time passes and requests complete: every
   * pick is an endpoint of the set, every endpoint is picked at some point when all are alike, and
   * in-flight counts return to zero once every selection is completed.
   */
  @Property(tries = 200)
  void picksStayInTheSetReachEveryEndpointAndBalanceInFlight(
      @ForAll("strategies") String name, @ForAll @IntRange(min = 1, max = 20) int size, @ForAll @IntRange(min = 0, max = 99) int seed) {
    ManualClock clock = new ManualClock(0L);
    EndpointSet set = TestEndpoints.equal(size);
    Picker picker = create(name, clock, seed).newPicker(set);
    Set<String> seen = new HashSet<>();
    RequestContext[] contexts = {RequestContext.EMPTY, new RequestContext("somewhere", 7L)};

    for (int i = 0; i < 200 * size; i++) {
      Selection selection = picker.pick(contexts[i % 2]);
      assertThat(selection.isNone()).isFalse();
      assertThat(set.endpoints()).contains(selection.endpoint());
      seen.add(selection.endpoint().id());
      clock.advance(Duration.ofMillis(5));
      if (i % 3 == 0) {
        selection.fail();
      } else {
        selection.succeed();
      }
    }

    assertThat(seen).hasSize(size);
    for (Endpoint endpoint : set.endpoints()) {
      assertThat(endpoint.stats().inFlight()).isZero();
    }
  }
}
