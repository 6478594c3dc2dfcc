package io.trafficcoordinator.balance.roundrobin;

import io.trafficcoordinator.balance.AbstractStrategy;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.NanoClock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code round-robin}: smooth weighted round robin over the configured weights.
 *
 * <p>The right choice when endpoints are alike and requests cost about the same: perfectly even,
 * deterministic and burst-free, and the cheapest pick there is. It does not react to slow or
 * overloaded endpoints; least-latency does.
 *
 * <p>The cycle is precomputed by {@link SmoothWeightedSchedule}; a pick is one atomic increment
 * and two array reads. Each picker starts at a random point of its cycle, so several coordinator
 * instances (or a rebuilt picker) do not all send their first requests to the same endpoint.
 */
public final class RoundRobinStrategy extends AbstractStrategy {

  public static final String NAME = "round-robin";

  public RoundRobinStrategy(NanoClock clock, RngSource rngSource) {
    super(NAME, clock, rngSource);
  }

  @Override
  protected Picker choose(EndpointSet endpoints) {
    int[] weights = endpoints.endpoints().stream().mapToInt(Endpoint::configuredWeight).toArray();
    int[] cycle = SmoothWeightedSchedule.cycle(weights);
    Endpoint[] order = new Endpoint[cycle.length];
    for (int i = 0; i < cycle.length; i++) {
      order[i] = endpoints.get(cycle[i]);
    }
    return new CyclePicker(order, rngSource.next().nextInt(order.length), clock);
  }

  private static final class CyclePicker implements Picker {
    private final Endpoint[] order;
    private final AtomicLong position;
    private final NanoClock clock;

    CyclePicker(Endpoint[] order, int start, NanoClock clock) {
      this.order = order;
      this.position = new AtomicLong(start);
      this.clock = clock;
    }

    @Override
    public Selection pick(RequestContext context) {
      // floorMod, not %, so the index stays valid even after the counter wraps to negative.
      int index = (int) Math.floorMod(position.getAndIncrement(), (long) order.length);
      return Selection.start(order[index], clock);
    }
  }
}
