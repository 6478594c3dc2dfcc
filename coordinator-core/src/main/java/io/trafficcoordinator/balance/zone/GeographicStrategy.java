package io.trafficcoordinator.balance.zone;

import io.trafficcoordinator.balance.AbstractStrategy;
import io.trafficcoordinator.balance.IntervalRebuild;
import io.trafficcoordinator.balance.NeutralLatency;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.balance.health.HealthScore;
import io.trafficcoordinator.balance.leastlatency.LeastLatencyStrategy;
import io.trafficcoordinator.balance.p2c.PowerOfTwoChoices;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.random.Rng;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.NanoClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code geographic-smart}: zone-aware routing (Envoy's), spilling to the nearest zones by a
 * configured latency matrix.
 *
 * <pre>
 *   every interval:  demand[z]   = share of recent requests from callers in zone z (smoothed)
 *                    capacity[z] = share of the configured weight of healthy endpoints in zone z
 *                    routing     = {@link SpillPlan#route}(demand, capacity, nearest-first order)
 *   per request:     zone y drawn from routing[caller's zone]; then the less loaded of two
 *                    healthy endpoints of y by least-latency's load (peak EWMA * (in flight + 1)) / weight
 * </pre>
 *
 * <p>Good when zones cost latency and money to cross: traffic stays local while the local zone's
 * healthy capacity covers its demand and only the excess crosses, to the nearest zone with room.
 * A zone losing endpoints spills in proportion; a zone with none left spills all of its traffic,
 * which is the failover. Callers whose zone is unknown, or not one the service runs in, are spread
 * over all healthy endpoints. Healthy means passing active checks with a {@link HealthScore} of at
 * least 0.5 and not failing (five failures in a row, the last within 10 s); if no endpoint is
 * healthy, all are used (panic).
 * An endpoint that reaches five failures in a row between two refreshes is not waited for: the
 * request goes to the best endpoint of any zone, so a zone going down loses few requests before
 * the next refresh moves its traffic.
 */
public final class GeographicStrategy extends AbstractStrategy {

  public static final String NAME = "geographic-smart";

  static final double HEALTH_FLOOR = 0.5;
  /** Failures in a row that mark an endpoint as down between two refreshes. */
  static final int FAILING_STREAK = 5;

  private final GeographicConfig config;
  /**
   * The latest demand share per zone, handed from one picker to the next: a picker rebuilt because
   * a zone's endpoints failed their checks must not forget where the callers are.
   */
  private volatile Map<String, Double> lastDemand = Map.of();

  public GeographicStrategy(GeographicConfig config, NanoClock clock, RngSource rngSource) {
    super(NAME, clock, rngSource);
    this.config = config;
  }

  @Override
  protected Picker choose(EndpointSet endpoints) {
    return new ZonePicker(endpoints);
  }

  /**
   * Five or more failures in a row, the last within the stats window (10 s). The second condition
   * lets an endpoint that has had no traffic for a window be tried again: excluding it for good would
   * starve it even after it recovered.
   */
  static boolean isFailing(Endpoint endpoint, long now) {
    return endpoint.stats().consecutiveFailures() >= FAILING_STREAK && endpoint.stats().failedRecently(now);
  }

  /** What one interval's routing decided; replaced whole. */
  private record Table(Endpoint[][] healthyByZone, Endpoint[] allHealthy, double[][] cumulative, double[] demand) {}

  private final class ZonePicker implements Picker {
    private final List<String> zones;
    private final Map<String, Integer> zoneIndex = new HashMap<>();
    private final Endpoint[][] endpointsByZone;
    private final int[][] spillOrder;
    /** Striped counters: event loops counting callers of one zone do not contend for a cache line. */
    private final LongAdder[] requestsByZone;
    private final Rng rng = rngSource.next();
    private final double neutralNanos;
    private final IntervalRebuild<Table> table;

    ZonePicker(EndpointSet endpoints) {
      this.zones = List.copyOf(endpoints.byZone().keySet());
      this.endpointsByZone = new Endpoint[zones.size()][];
      for (int z = 0; z < zones.size(); z++) {
        zoneIndex.put(zones.get(z), z);
        endpointsByZone[z] = endpoints.byZone().get(zones.get(z)).toArray(Endpoint[]::new);
      }
      this.spillOrder = config.zoneLatencies().spillOrder(zones);
      this.requestsByZone = new LongAdder[zones.size()];
      for (int z = 0; z < requestsByZone.length; z++) {
        requestsByZone[z] = new LongAdder();
      }
      this.neutralNanos = NeutralLatency.of(endpoints.endpoints(), clock.nanoTime());
      this.table = new IntervalRebuild<>(config.refreshInterval().toNanos(), clock.nanoTime(), this::build);
    }

    @Override
    public Selection pick(RequestContext context) {
      long now = clock.nanoTime();
      Table current = table.current(now);
      Integer from = context.clientZone() == null ? null : zoneIndex.get(context.clientZone());
      if (from == null) {
        return start(current.allHealthy, now);
      }
      requestsByZone[from].increment();
      double[] row = current.cumulative[from];
      double draw = rng.nextDouble();
      for (int y = 0; y < row.length; y++) {
        if (draw < row[y] && current.healthyByZone[y].length > 0) {
          Endpoint chosen = choose(current.healthyByZone[y], now);
          if (isFailing(chosen, now)) {
            // The zone looked healthy at the last refresh but this endpoint is failing now (a zone
            // going down): do not wait for the refresh, take the best endpoint anywhere.
            chosen = choose(current.allHealthy, now);
          }
          return Selection.start(chosen, clock);
        }
      }
      return start(current.allHealthy, now);
    }

    /** Least-latency's load, per unit of weight. */
    private double load(Endpoint endpoint, long now) {
      return LeastLatencyStrategy.load(endpoint.stats(), now, neutralNanos) / endpoint.configuredWeight();
    }

    private Selection start(Endpoint[] candidates, long now) {
      return Selection.start(choose(candidates, now), clock);
    }

    /** The less loaded of two drawn from {@code candidates}. */
    private Endpoint choose(Endpoint[] candidates, long now) {
      if (candidates.length == 1) {
        return candidates[0];
      }
      long pair = PowerOfTwoChoices.drawPair(candidates.length, rng);
      double loadA = load(candidates[PowerOfTwoChoices.first(pair)], now);
      double loadB = load(candidates[PowerOfTwoChoices.second(pair)], now);
      return candidates[PowerOfTwoChoices.lessLoaded(pair, loadA, loadB)];
    }

    private Table build(long now, Table previous) {
      int n = zones.size();
      Endpoint[][] healthy = new Endpoint[n][];
      List<Endpoint> all = new ArrayList<>();
      double[] capacity = new double[n];
      double totalCapacity = 0;
      for (int z = 0; z < n; z++) {
        List<Endpoint> up = new ArrayList<>();
        for (Endpoint endpoint : endpointsByZone[z]) {
          if (HealthScore.isHealthy(endpoint.stats(), now, HEALTH_FLOOR) && !isFailing(endpoint, now)) {
            up.add(endpoint);
            capacity[z] += endpoint.configuredWeight();
          }
        }
        healthy[z] = up.toArray(Endpoint[]::new);
        all.addAll(up);
        totalCapacity += capacity[z];
      }
      Endpoint[] allHealthy = all.isEmpty()
          ? java.util.Arrays.stream(endpointsByZone).flatMap(java.util.Arrays::stream).toArray(Endpoint[]::new)
          : all.toArray(Endpoint[]::new);
      for (int z = 0; z < n && totalCapacity > 0; z++) {
        capacity[z] /= totalCapacity;
      }
      double[] demand = demand(previous, capacity);
      Map<String, Double> shares = new HashMap<>();
      for (int z = 0; z < n; z++) {
        shares.put(zones.get(z), demand[z]);
      }
      lastDemand = shares;
      double[][] routing = SpillPlan.route(demand, capacity, spillOrder);
      double[][] cumulative = new double[n][n];
      for (int z = 0; z < n; z++) {
        double sum = 0;
        for (int y = 0; y < n; y++) {
          sum += routing[z][y];
          cumulative[z][y] = sum;
        }
        // Rounding must not leave a sliver of draws unrouted: the last zone with a share closes the row.
        for (int y = n - 1; y >= 0; y--) {
          if (routing[z][y] > 0) {
            cumulative[z][y] = 1.0;
            break;
          }
        }
      }
      return new Table(healthy, allHealthy, cumulative, demand);
    }

    /** The previous picker's demand for these zones, or the capacity shares when there was none. */
    private double[] inheritedDemand(double[] capacity) {
      Map<String, Double> last = lastDemand;
      double[] demand = new double[zones.size()];
      double total = 0;
      for (int z = 0; z < demand.length; z++) {
        demand[z] = last.getOrDefault(zones.get(z), 0.0);
        total += demand[z];
      }
      if (total <= 0) {
        return capacity.clone();
      }
      for (int z = 0; z < demand.length; z++) {
        demand[z] /= total;
      }
      return demand;
    }

    /** Demand shares: the last interval's requests per zone, half-weighted with the previous estimate. */
    private double[] demand(Table previous, double[] capacity) {
      int n = zones.size();
      long[] counts = new long[n];
      long total = 0;
      for (int z = 0; z < n; z++) {
        counts[z] = requestsByZone[z].sumThenReset();
        total += counts[z];
      }
      double[] prior = previous == null ? inheritedDemand(capacity) : previous.demand;
      if (total == 0) {
        return prior.clone();
      }
      double[] demand = new double[n];
      for (int z = 0; z < n; z++) {
        demand[z] = previous == null ? (double) counts[z] / total : 0.5 * prior[z] + 0.5 * counts[z] / total;
      }
      return demand;
    }
  }
}
