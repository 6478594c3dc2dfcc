package io.trafficcoordinator.chaos;

import io.trafficcoordinator.balance.catalog.StrategyCatalog;
import io.trafficcoordinator.chaos.FaultyEndpoint.Fault;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Runs every combination of strategy, fault and health-check setting asked for, each {@code runs} times; one at a time. */
public final class Chaos {

  /** Longer than the 10 s over which usual latencies are measured, so the start-up has left them. */
  private static final long WARM_UP_MILLIS = 12_000;
  private static final long AFTER_MILLIS = 5_000;

  private Chaos() {}

  /**
   * @param progress told of each run as it starts
   * @return the markdown table
   * @throws IllegalArgumentException for an unknown strategy, fault or health-check setting
   */
  public static String run(List<String> strategies, List<String> faults, List<String> healthChecks, int rate,
      int faultSeconds, int runs, Consumer<String> progress) throws Exception {
    for (String strategy : strategies) {
      if (!StrategyCatalog.names().contains(strategy)) {
        throw new IllegalArgumentException("no strategy '" + strategy + "'; strategies: " + String.join(", ",
            StrategyCatalog.names()));
      }
    }
    List<Fault> kinds = faults.stream().map(Fault::of).toList();
    for (String checks : healthChecks) {
      if (!checks.equals("on") && !checks.equals("off")) {
        throw new IllegalArgumentException("--health-checks takes on, off or on,off, not '" + checks + "'");
      }
    }
    List<ChaosRun.Result> results = new ArrayList<>();
    for (String checks : healthChecks) {
      for (Fault fault : kinds) {
        for (int run = 1; run <= runs; run++) {
          // Interleaved: the runs of one row are spread over the whole session, not back to back.
          for (String strategy : strategies) {
            progress.accept("chaos: " + fault.slug + " with " + strategy + ", health checks " + checks + ", run " + run);
            results.add(new ChaosRun(strategy, fault, checks.equals("on"), rate, WARM_UP_MILLIS, faultSeconds * 1000L,
                AFTER_MILLIS).run());
          }
        }
      }
    }
    return ChaosReport.table(results);
  }
}
