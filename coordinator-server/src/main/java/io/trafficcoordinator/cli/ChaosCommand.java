package io.trafficcoordinator.cli;

import io.trafficcoordinator.chaos.Chaos;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coordinator chaos}: breaks one endpoint of three behind a coordinator in this process,
 * under open-loop load, in each way asked for, and prints what the clients saw.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
    description = {"Run a coordinator in front of three loopback endpoints, send GETs at a fixed rate, and break the"
        + " second endpoint in the middle of the run (kill, hang, cut-after-head, cut-mid-body), then heal it. Prints a"
        + " markdown table: errors, requests over 1 s, p99, tries that still reached the broken endpoint at the end of"
        + " the fault, and how soon it got its share back. Loopback only; bench/chaos.sh runs the table of"
        + " docs/RESILIENCE.md."})
final class ChaosCommand implements Callable<Integer> {

  @Option(names = "--strategies", split = ",", defaultValue = "round-robin,adaptive-intelligent", paramLabel = "NAME",
      description = "Strategies to run (default ${DEFAULT-VALUE}).")
  List<String> strategies;

  @Option(names = "--faults", split = ",", defaultValue = "kill,hang,cut-after-head,cut-mid-body", paramLabel = "FAULT",
      description = "Faults to inject (default ${DEFAULT-VALUE}).")
  List<String> faults;

  @Option(names = "--health-checks", split = ",", defaultValue = "on", paramLabel = "on|off",
      description = "Run with active health checks on, off, or both (on,off; default ${DEFAULT-VALUE}).")
  List<String> healthChecks;

  @Option(names = "--rate", defaultValue = "300", description = "GETs per second (default ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--runs", defaultValue = "1",
      description = "Runs of each combination; the table gives the median and the range (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--fault-seconds", defaultValue = "10", description = "How long the endpoint stays broken (default ${DEFAULT-VALUE}).")
  int faultSeconds;

  @Override
  public Integer call() throws Exception {
    if (rate < 1 || rate > 5_000 || faultSeconds < 2 || faultSeconds > 600 || runs < 1 || runs > 20) {
      System.err.println("coordinator chaos: --rate must be 1..5000, --fault-seconds 2..600 and --runs 1..20");
      return Main.INVALID;
    }
    try {
      System.out.print(Chaos.run(strategies, faults, healthChecks, rate, faultSeconds, runs, System.err::println));
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println("coordinator chaos: " + e.getMessage());
      return Main.INVALID;
    } catch (Exception e) {
      System.err.println("coordinator chaos: a run failed: " + e);
      return Main.FAILED;
    }
  }
}
