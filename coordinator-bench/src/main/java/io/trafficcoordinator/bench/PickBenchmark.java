package io.trafficcoordinator.bench;

import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.balance.StrategyConfig;
import io.trafficcoordinator.balance.catalog.StrategyCatalog;
import io.trafficcoordinator.balance.service.ServiceBalancer;
import io.trafficcoordinator.config.tree.ConfigReading;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.NanoClock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request cost of balancing, with the production clock and random source, for every
 * strategy with its default parameters. The fleet has learned latencies, latency trends, four price
 * bands and three zones; the request comes from one of the zones (strategies that do not route by
 * zone ignore it).
 *
 * <ul>
 *   <li>{@code pick}: choose an endpoint and release it without recording anything ({@code ignore}),
 *       the cost a strategy adds to every request;
 *   <li>{@code balancerPick}: the same through the service's {@code ServiceBalancer}, which adds the
 *       read of its snapshot and the admission loop (breakers, due ejections);
 *   <li>{@code pickAndComplete}: choose and record a success, the full per-request cost including
 *       the endpoint's stats (peak-EWMA update, sliding window, totals).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PickBenchmark {

  @Param({"round-robin", "weighted-performance", "least-latency", "health-distributed", "geographic-smart",
      "cost-performance-hybrid", "predictive-system", "adaptive-intelligent"})
  public String strategy;

  @Param({"10", "100"})
  public int endpoints;

  private static final RequestContext FROM_ZONE_1 = new RequestContext("zone-1", 0L);

  private Picker picker;
  private ServiceBalancer balancer;

  @Setup
  public void build() {
    // What the coordinator runs with: the system clock and a random source per thread.
    BalancingContext context = new BalancingContext(NanoClock.system(), RngSource.threadLocal());
    EndpointSet set = Fleets.warmed(endpoints, NanoClock.system());
    ConfigReading reading = new ConfigReading();
    StrategyConfig config = StrategyCatalog.read("", strategy, Map.of(), reading);
    if (config == null || reading.hasProblems()) {
      throw new IllegalArgumentException(strategy + ": " + reading.problems());
    }
    Strategy chosen = config.create(context);
    picker = chosen.newPicker(set);
    balancer = new ServiceBalancer("bench", chosen, set, ServiceBalancer.DEFAULT_PANIC_THRESHOLD, null, context);
  }

  @Benchmark
  public Selection pick() {
    Selection selection = picker.pick(FROM_ZONE_1);
    selection.ignore();
    return selection;
  }

  /** {@code pick} through the service's balancer, as the proxy calls it: snapshot read and admission loop added. */
  @Benchmark
  public Selection balancerPick() {
    Selection selection = balancer.pick(FROM_ZONE_1);
    selection.ignore();
    return selection;
  }

  @Benchmark
  public Selection pickAndComplete() {
    Selection selection = picker.pick(FROM_ZONE_1);
    selection.succeed();
    return selection;
  }
}
