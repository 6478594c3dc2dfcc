package io.trafficcoordinator.cli;

import io.trafficcoordinator.config.ConfigBinder;
import io.trafficcoordinator.config.CoordinatorConfig;
import io.trafficcoordinator.demo.DemoFleet;
import io.trafficcoordinator.demo.SampleEndpoint;
import io.trafficcoordinator.server.Coordinator;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coordinator demo}: the coordinator and a small fleet of sample services in one process. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start the coordinator in front of sample services on this machine, and print curl lines to try.")
final class DemoCommand implements Callable<Integer> {

  private static final String HOST = "127.0.0.1";

  @Option(names = "--data-port", defaultValue = "8080", description = "Port of the proxy (default ${DEFAULT-VALUE}).")
  int dataPort;

  @Option(names = "--control-port", defaultValue = "9090", description = "Port of the control API (default ${DEFAULT-VALUE}).")
  int controlPort;

  @Override
  public Integer call() throws Exception {
    Vertx backends = Vertx.vertx();
    DemoFleet fleet = new DemoFleet();
    fleet.start(backends).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    CoordinatorConfig config = ConfigBinder.bind(fleet.configTree(HOST, dataPort, controlPort));
    Coordinator coordinator = Running.start(config);
    if (coordinator == null) {
      backends.close();
      return Main.FAILED;
    }
    printWelcome(coordinator, fleet);
    Shutdown shutdown = new Shutdown();
    shutdown.onSignals(() -> {
      Running.stop(coordinator);
      backends.close().toCompletionStage().toCompletableFuture().join();
    });
    shutdown.awaitStop();
    return 0;
  }

  private static void printWelcome(Coordinator coordinator, DemoFleet fleet) {
    String data = "http://" + HOST + ":" + coordinator.dataPort();
    String control = "http://" + HOST + ":" + coordinator.controlPort();
    StringBuilder out = new StringBuilder();
    out.append("\nTraffic Coordinator demo is running.\n")
        .append("  data listener (proxy):   ").append(data).append('\n')
        .append("  control listener:        ").append(control).append("\n\n")
        .append("Sample endpoints:\n");
    for (SampleEndpoint endpoint : fleet.all()) {
      out.append(String.format("  %-11s %-7s ~%d ms  %s%n", endpoint.name(), endpoint.zone(), endpoint.latencyMillis(), endpoint.url()));
    }
    out.append("\nServices:\n")
        .append("  catalog   least-latency over catalog-1..3 (catalog-3 is slow, so it gets few requests)\n")
        .append("  accounts  round-robin, weights 3:1 (accounts-1 gets three of every four requests)\n")
        .append("\nTry:\n")
        .append("  curl -s ").append(data).append("/catalog/items\n")
        .append("  curl -s ").append(data).append("/accounts/alice\n")
        .append("  for i in $(seq 20); do curl -s ").append(data).append("/catalog/items | grep '\"endpoint\"'; done | sort | uniq -c\n")
        .append("  curl -s ").append(control).append("/api/v1/master-coordination/health\n")
        .append("  curl -s ").append(control).append("/metrics | grep '^coordinator_endpoint_requests'\n")
        .append("\nPress Ctrl-C to stop.\n");
    System.out.println(out);
  }
}
