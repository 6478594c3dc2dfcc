package io.trafficcoordinator.lab.baseline;

import io.trafficcoordinator.balance.AbstractStrategy;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.p2c.LoadPicker;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.NanoClock;

/**
 * {@code least-request}, a reference policy for the lab only: Envoy's default, power of two
 * choices on requests in flight (equal weights). The strong simple baseline every latency-aware
 * strategy is measured against.
 */
public final class LeastRequestStrategy extends AbstractStrategy {

  public static final String NAME = "least-request";

  public LeastRequestStrategy(NanoClock clock, RngSource rngSource) {
    super(NAME, clock, rngSource);
  }

  @Override
  protected Picker choose(EndpointSet endpoints) {
    return LoadPicker.over(endpoints, (stats, now, neutral) -> stats.inFlight(), rngSource.next(), clock);
  }
}
