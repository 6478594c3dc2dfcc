package io.trafficcoordinator.cli;

import io.trafficcoordinator.config.tree.InvalidConfigException;
import io.trafficcoordinator.lab.Lab;
import io.trafficcoordinator.lab.report.ReportFiles;
import io.trafficcoordinator.lab.report.ReportTable;
import io.trafficcoordinator.lab.report.ScenarioResult;
import io.trafficcoordinator.lab.scenario.Scenario;
import io.trafficcoordinator.lab.scenario.ScenarioReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coordinator lab}: runs the balancing strategies through simulated fleets on virtual time
 * and writes a table and a chart per scenario.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
    description = {
        "Simulate fleets and compare every strategy on them: throughput, p50/p99/p99.9, errors, cost per 1,000 "
            + "requests, share kept local. Writes NAME.md, NAME.svg and README.md per scenario into --out.",
        "Built-in scenarios: homogeneous, heterogeneous, slow-node, periodic-stalls, zone-outage, ramp-to-90, cost-skewed."})
final class LabCommand implements Callable<Integer> {

  @Option(names = "--scenario", paramLabel = "NAME|all", defaultValue = "all",
      description = "A built-in scenario, or all of them (default).")
  String scenario;

  @Option(names = "--scenario-file", paramLabel = "FILE",
      description = "A scenario of your own, in the YAML format of docs/LAB.md; replaces --scenario. Repeatable.")
  List<Path> scenarioFiles = new ArrayList<>();

  @Option(names = "--seed", defaultValue = "1", description = "Random seed; the same seed gives the same results (default 1).")
  long seed;

  @Option(names = "--requests", paramLabel = "N", description = "Requests per strategy (default: the scenario's, 200,000 for the built-ins).")
  Long requests;

  @Option(names = "--policies", split = ",", paramLabel = "NAME",
      description = "Only these strategies or reference policies (default: all eight and random, least-request).")
  List<String> policies;

  @Option(names = "--out", defaultValue = "lab-results", paramLabel = "DIR", description = "Where to write results (default lab-results).")
  Path out;

  @Override
  public Integer call() throws IOException {
    List<Scenario> scenarios;
    try {
      scenarios = scenarios();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return Main.INVALID;
    }
    List<String> chosen = policies == null ? Lab.POLICIES : policies;
    for (String policy : chosen) {
      if (!Lab.POLICIES.contains(policy)) {
        System.err.println("no policy '" + policy + "'; there are: " + String.join(", ", Lab.POLICIES));
        return Main.INVALID;
      }
    }
    List<ScenarioResult> results = new ArrayList<>();
    for (Scenario s : scenarios) {
      Scenario sized = requests == null ? s : s.withRequests(requests);
      long started = System.nanoTime();
      ScenarioResult result = Lab.runAll(sized, seed, chosen);
      long millis = (System.nanoTime() - started) / 1_000_000;
      System.out.printf("%n%s: %s (%,d requests per strategy, seed %d, %,d ms)%n%s", sized.name(), sized.description(),
          sized.requests(), seed, millis, ReportTable.text(result));
      results.add(result);
    }
    Path index = ReportFiles.write(out, results, command());
    System.out.printf("%nWrote %s and a table and chart per scenario.%n", index);
    return 0;
  }

  private List<Scenario> scenarios() throws IOException {
    List<Scenario> scenarios = new ArrayList<>();
    if (!scenarioFiles.isEmpty()) {
      for (Path file : scenarioFiles) {
        try {
          scenarios.add(ScenarioReader.read(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (InvalidConfigException e) {
          ConfigErrors.print(file, e);
          throw new IllegalArgumentException(file + ": not a valid scenario");
        } catch (java.nio.file.NoSuchFileException e) {
          throw new IllegalArgumentException("no such file: " + file);
        }
      }
      return scenarios;
    }
    if (scenario.equals("all")) {
      Lab.BUILT_IN.forEach(name -> scenarios.add(Lab.builtIn(name)));
    } else {
      scenarios.add(Lab.builtIn(scenario));
    }
    return scenarios;
  }

  private String command() {
    StringBuilder command = new StringBuilder("java -jar coordinator-server/target/coordinator.jar lab");
    if (scenarioFiles.isEmpty()) {
      command.append(" --scenario ").append(scenario);
    }
    scenarioFiles.forEach(f -> command.append(" --scenario-file ").append(f));
    command.append(" --seed ").append(seed);
    if (requests != null) {
      command.append(" --requests ").append(requests);
    }
    if (policies != null) {
      command.append(" --policies ").append(String.join(",", policies));
    }
    return command.append(" --out ").append(out).toString();
  }
}
