package io.trafficcoordinator.bench;

import io.trafficcoordinator.retry.RetryBudget;
import io.trafficcoordinator.retry.RetryConfig;
import io.trafficcoordinator.time.NanoClock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a route's retry budget costs every request: {@code recordRequest} is one compare-and-set on
 * the current second's cell of a shared ring, paid by each request of a route with retries (run
 * with {@code -t 2} to see two event loops contend for it); {@code tryRetry}, paid by failed
 * requests only, sums the ring of both counts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RetryBudgetBenchmark {

  private final NanoClock clock = NanoClock.system();
  private RetryBudget budget;

  @Setup
  public void build() {
    budget = new RetryBudget(RetryConfig.Budget.DEFAULT, clock.nanoTime());
  }

  @Benchmark
  public void recordRequest() {
    budget.recordRequest(clock.nanoTime());
  }

  @Benchmark
  public RetryBudget.Grant tryRetry() {
    return budget.tryRetry(clock.nanoTime());
  }
}
