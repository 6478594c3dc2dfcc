package io.trafficcoordinator.cli;

import io.trafficcoordinator.config.ConfigBinder;
import io.trafficcoordinator.demo.DemoFleet;
import io.trafficcoordinator.demo.DemoLoad;
import io.trafficcoordinator.demo.SampleEndpoint;
import io.trafficcoordinator.security.Role;
import io.trafficcoordinator.security.TokenIssuer;
import io.trafficcoordinator.server.Coordinator;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coordinator demo}: the coordinator and a small fleet of sample services in one process. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Start the coordinator in front of sample services on this machine, with steady background",
        "traffic, and print curl lines to try."})
final class DemoCommand implements Callable<Integer> {

  private static final String HOST = "127.0.0.1";

  @Option(names = "--data-port", defaultValue = "8080", description = "Port of the proxy (default ${DEFAULT-VALUE}).")
  int dataPort;

  @Option(names = "--control-port", defaultValue = "9090", description = "Port of the control API (default ${DEFAULT-VALUE}).")
  int controlPort;

  @Option(names = "--rps", defaultValue = "20", paramLabel = "N",
      description = "Background requests per second across the services (default ${DEFAULT-VALUE}; 0 for none).")
  int requestsPerSecond;

  @Option(names = "--access-log", description = "Log every request (off by default, the background traffic would drown the screen).")
  boolean accessLog;

  @Option(names = "--endpoint-ports", defaultValue = "18101", paramLabel = "PORT",
      description = "The sample endpoints listen on PORT, PORT+1, ... (default ${DEFAULT-VALUE}), so that a stored configuration finds them again.")
  int endpointPorts;

  @Option(names = "--store", defaultValue = "data/demo.db", paramLabel = "FILE",
      description = "Where the demo keeps configuration versions and the audit log (default ${DEFAULT-VALUE}; 'memory' keeps nothing).")
  String store;

  @Override
  public Integer call() throws Exception {
    if (requestsPerSecond < 0) {
      System.err.println("coordinator: --rps must be 0 or more");
      return Main.INVALID;
    }
    Vertx backends = Vertx.vertx();
    DemoFleet fleet = new DemoFleet();
    try {
      fleet.start(backends, endpointPorts).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      System.err.println("coordinator: cannot start the sample endpoints on ports " + endpointPorts + "-"
          + (endpointPorts + fleet.size() - 1) + ": " + e.getCause().getMessage() + " (choose others with --endpoint-ports)");
      backends.close();
      return Main.FAILED;
    }
    // A fresh secret each run: the tokens printed below are the only ones that work.
    byte[] secret = new byte[32];
    new java.security.SecureRandom().nextBytes(secret);
    String secretText = java.util.HexFormat.of().formatHex(secret);
    Map<String, Object> tree = fleet.configTree(HOST, dataPort, controlPort);
    tree.put("proxy", Map.of("accessLog", accessLog));
    tree.put("security", Map.of("jwt", Map.of("keys", java.util.List.of(Map.of("algorithm", "HS256", "secret", secretText)))));
    tree.put("store", "memory".equals(store) ? Map.of("type", "memory") : Map.of("type", "sqlite", "path", store));
    ConfigBinder.bind(tree);
    Coordinator coordinator = Running.start(tree);
    if (coordinator == null) {
      backends.close();
      return Main.FAILED;
    }
    printWelcome(coordinator, fleet, secretText.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    DemoLoad load = requestsPerSecond == 0 ? null
        : new DemoLoad(backends, HOST, coordinator.dataPort(), DemoFleet.samplePaths(), requestsPerSecond,
            () -> coordinator.registry().find("coordinator_retries").counters().stream().mapToDouble(c -> c.count()).sum());
    if (load != null) {
      load.start();
    }
    Shutdown shutdown = new Shutdown();
    shutdown.onSignals(() -> {
      if (load != null) {
        load.stop();
      }
      Running.stop(coordinator);
      backends.close().toCompletionStage().toCompletableFuture().join();
    });
    shutdown.awaitStop();
    return 0;
  }

  private void printWelcome(Coordinator coordinator, DemoFleet fleet, byte[] secret) {
    String data = "http://" + HOST + ":" + coordinator.dataPort();
    String control = "http://" + HOST + ":" + coordinator.controlPort();
    StringBuilder out = new StringBuilder();
    out.append("\nTraffic Coordinator demo is running.\n")
        .append("  data listener (proxy):   ").append(data).append('\n')
        .append("  control listener:        ").append(control).append("\n\n")
        .append("Services (route /<service>/...; strategies as first configured, the stored configuration may have changed them):\n");
    for (DemoFleet.Service service : DemoFleet.SERVICES) {
      out.append(String.format("  %-15s group %-10s %-23s %s%n", service.name(), service.group(), service.strategy(), service.why()));
    }
    out.append("\nEndpoints:\n");
    for (SampleEndpoint endpoint : fleet.all()) {
      out.append(String.format("  %-17s %-11s ~%3d ms%s%s  %s%n", endpoint.name(), endpoint.zone(), endpoint.latencyMillis(),
          endpoint.errorRate() > 0 ? String.format(", %.0f%% errors and a 10 s outage each minute", endpoint.errorRate() * 100) : "",
          endpoint.driftMillis() > 0 ? String.format(", drifting up to +%d ms each minute", endpoint.driftMillis()) : "",
          endpoint.url()));
    }
    out.append("\nTry:\n");
    for (String path : DemoFleet.samplePaths()) {
      out.append("  curl -s '").append(data).append(path).append("'\n");
    }
    out.append("  for i in $(seq 20); do curl -s ").append(data).append("/catalog/items | grep '\"endpoint\"'; done | sort | uniq -c\n")
        .append("  for i in $(seq 20); do curl -s -H 'X-Client-Zone: eu-west-1b' ").append(data)
        .append("/media/videos/7 | grep '\"endpoint\"'; done | sort | uniq -c\n")
        .append("  curl -s ").append(control).append("/metrics | grep '^coordinator_zone_requests'\n")
        .append("  curl -s ").append(control).append("/api/v1/master-coordination/health\n")
        .append("  curl -s ").append(control).append("/metrics | grep '^coordinator_endpoint_requests'\n")
        .append("\nA rate limit (").append(DemoFleet.LIMITED_PREFIX).append("/... allows ").append(DemoFleet.LIMITED_REQUESTS)
        .append(" requests per 10 s per client; then 429 with Retry-After):\n")
        .append("  for i in $(seq 7); do curl -s -o /dev/null -w '%{http_code} ' '").append(data)
        .append(DemoFleet.LIMITED_PREFIX).append("/search?q=lamps'; done; echo\n")
        .append("  curl -si '").append(data).append(DemoFleet.LIMITED_PREFIX)
        .append("/search?q=lamps' | grep -i -e '^ratelimit' -e '^retry-after'\n");
    TokenIssuer issuer = new TokenIssuer(coordinator.vertx(), secret, null);
    String api = control + "/api/v1/master-coordination";
    out.append("\nControl API tokens (valid 8 h; a new secret each run):\n");
    for (Role role : Role.values()) {
      out.append(String.format("  export %s_TOKEN=%s%n", role.name(), issuer.mint("demo-" + role.slug(), role, java.time.Duration.ofHours(8), null, null)));
    }
    out.append("\nA route that requires a token (").append(DemoFleet.SECURE_PREFIX)
        .append("/...: 401 without one; the endpoint sees X-Auth-Subject and X-Auth-Roles):\n")
        .append("  curl -s '").append(data).append(DemoFleet.SECURE_PREFIX).append("/accounts/alice'\n")
        .append("  curl -s -H \"Authorization: Bearer $VIEWER_TOKEN\" '").append(data).append(DemoFleet.SECURE_PREFIX)
        .append("/accounts/alice'\n");
    out.append("\nTry the control API:\n")
        .append("  curl -s -H \"Authorization: Bearer $VIEWER_TOKEN\" ").append(api).append("/system-status\n")
        .append("  curl -s -H \"Authorization: Bearer $ADMIN_TOKEN\" -H 'Content-Type: application/json' \\\n")
        .append("       -d '{\"service\":\"catalog\",\"strategy\":\"least-latency\"}' ").append(api).append("/configure-load-balancing\n")
        .append("  curl -s -H \"Authorization: Bearer $ADMIN_TOKEN\" ").append(api).append("/audit\n")
        .append("Configuration versions and the audit log are kept in ").append(store)
        .append(": a change is still there after a restart.\n");
    out.append(requestsPerSecond > 0
        ? "\nBackground traffic: " + requestsPerSecond + " requests/s, summarised every 10 s (--rps 0 turns it off).\n"
        : "\nNo background traffic (--rps N to add some).\n");
    out.append("Press Ctrl-C to stop.\n");
    System.out.println(out);
  }
}
