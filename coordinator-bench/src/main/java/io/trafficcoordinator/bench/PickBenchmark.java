package io.trafficcoordinator.bench;

import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.balance.StrategyConfig;
import io.trafficcoordinator.balance.leastlatency.LeastLatencyConfig;
import io.trafficcoordinator.balance.roundrobin.RoundRobinConfig;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.time.NanoClock;
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
 * The per-request cost of balancing, with the production clock and random source.
 *
 * <ul>
 *   <li>{@code pick}: choose an endpoint and release it without recording anything ({@code ignore}),
 *       the cost a strategy adds to every request;
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

  @Param({"round-robin", "least-latency"})
  public String strategy;

  @Param({"10", "100"})
  public int endpoints;

  private Picker picker;

  @Setup
  public void build() {
    BalancingContext context = BalancingContext.production();
    EndpointSet set = Fleets.warmed(endpoints, NanoClock.system());
    StrategyConfig config = switch (strategy) {
      case "round-robin" -> new RoundRobinConfig();
      case "least-latency" -> new LeastLatencyConfig();
      default -> throw new IllegalArgumentException(strategy);
    };
    picker = config.create(context).newPicker(set);
  }

  @Benchmark
  public Selection pick() {
    Selection selection = picker.pick(RequestContext.EMPTY);
    selection.ignore();
    return selection;
  }

  @Benchmark
  public Selection pickAndComplete() {
    Selection selection = picker.pick(RequestContext.EMPTY);
    selection.succeed();
    return selection;
  }
}
