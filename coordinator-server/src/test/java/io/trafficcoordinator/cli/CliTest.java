package io.trafficcoordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user meets it: exit codes and what is printed. */
class CliTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private PrintStream originalErr;

  @TempDir
  Path dir;

  @BeforeEach
  void capture() {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  private int run(String... args) {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path file(String name, String yaml) throws Exception {
    Path path = dir.resolve(name);
    Files.writeString(path, yaml);
    return path;
  }

  private static final String BAD = String.join("\n",
      "services:",
      "  - name: users",
      "    strategy: fastest",
      "    endpoints:",
      "      - url: ftp://nowhere",
      "routes:",
      "  - pathPrefix: /users",
      "    service: users",
      "    timeout: soon",
      "    retry: 3",
      "");

  @Test
  void validateAcceptsTheExample() {
    assertThat(run("validate", "../examples/coordinator.yaml")).isZero();
    assertThat(stdout()).contains("valid (8 services, 2 routes)");
  }

  @Test
  void validateListsEveryProblemWithItsPathAndExits2() throws Exception {
    Path bad = file("bad.yaml", BAD);

    assertThat(run("validate", bad.toString())).isEqualTo(2);
    assertThat(stderr()).contains(
        bad + ": invalid configuration, 5 problems:",
        "  services[0].strategy: unknown strategy 'fastest'; valid strategies: round-robin, weighted-performance, least-latency, health-distributed, geographic-smart, cost-performance-hybrid, predictive-system, adaptive-intelligent",
        "  services[0].endpoints[0].url: not an absolute http(s) URL: 'ftp://nowhere'",
        "  routes[0].timeout: not a duration: 'soon'",
        "  routes[0].retry: unknown key",
        "  security: is required: the control API needs at least one key to check tokens with");
  }

  @Test
  void runRefusesTheSameFileWithTheSameMessagesAndExits2() throws Exception {
    Path bad = file("bad.yaml", BAD);

    assertThat(run("run", "--config", bad.toString())).isEqualTo(2);
    assertThat(stderr()).contains("services[0].strategy: unknown strategy 'fastest'", "routes[0].retry: unknown key");
  }

  @Test
  void malformedYamlIsReportedWithItsLine() throws Exception {
    Path broken = file("broken.yaml", "services:\n  - name: a\n   endpoints: [\n");

    assertThat(run("validate", broken.toString())).isEqualTo(2);
    assertThat(stderr()).contains("not valid YAML: line ");
  }

  @Test
  void duplicateKeysAreRefused() throws Exception {
    Path duplicate = file("duplicate.yaml", "limits:\n  maxBodyBytes: 1KiB\n  maxBodyBytes: 2KiB\n");

    assertThat(run("validate", duplicate.toString())).isEqualTo(2);
    assertThat(stderr()).contains("Duplicate field 'maxBodyBytes'");
  }

  @Test
  void missingFileIsNamed() {
    assertThat(run("validate", dir.resolve("nope.yaml").toString())).isEqualTo(2);
    assertThat(stderr()).contains("no such file: " + dir.resolve("nope.yaml"));
  }

  @Test
  void versionAndHelp() {
    assertThat(run("--version")).isZero();
    assertThat(stdout()).startsWith("Traffic Coordinator ");
    assertThat(run("--help")).isZero();
    assertThat(stdout()).contains("run", "validate", "demo", "--log-format");
  }

  @Test
  void labRunsAScenarioAndWritesItsTableAndChart() throws Exception {
    Path results = dir.resolve("results");

    assertThat(run("lab", "--scenario", "slow-node", "--requests", "3000", "--seed", "5",
        "--policies", "round-robin,least-latency", "--out", results.toString())).isZero();

    assertThat(stdout()).contains("slow-node: one endpoint of ten answers 10x slower", "round-robin", "least-latency");
    assertThat(Files.readString(results.resolve("slow-node.md"))).contains("| least-latency |");
    assertThat(Files.readString(results.resolve("slow-node.svg"))).startsWith("<?xml").contains("<svg");
    assertThat(Files.readString(results.resolve("README.md")))
        .contains("lab --scenario slow-node --seed 5 --requests 3000 --policies round-robin,least-latency");
  }

  @Test
  void labRunsAScenarioFileAndRefusesABadOneWithItsPaths() throws Exception {
    Path good = file("mine.yaml", String.join("\n",
        "name: mine",
        "requests: 2000",
        "arrival: {rate: 300}",
        "endpoints:",
        "  - {count: 3, concurrency: 2, serviceTime: {distribution: empirical, samplesMillis: [3, 4, 5, 40]}}",
        "events:",
        "  - {at: 50%, action: slowDown, endpoints: [e-1], factor: 5}",
        ""));
    assertThat(run("lab", "--scenario-file", good.toString(), "--policies", "adaptive-intelligent",
        "--out", dir.resolve("out").toString())).isZero();
    assertThat(stdout()).contains("mine:", "adaptive-intelligent");

    Path bad = file("bad-scenario.yaml", String.join("\n",
        "name: bad",
        "endpoints:",
        "  - {count: 2, serviceTime: {distribution: gamma}}",
        "events:",
        "  - {at: 150%, action: explode, endpoints: [nobody]}",
        "strategyParameters:",
        "  cost-performance-hybrid: {alpha: 2}",
        ""));
    assertThat(run("lab", "--scenario-file", bad.toString())).isEqualTo(2);
    assertThat(stderr()).contains(
        "endpoints[0].serviceTime.distribution: unknown distribution 'gamma'",
        "events[0].at: falls outside the run",
        "events[0].action: unknown action 'explode'",
        "events[0].endpoints[0]: no endpoint 'nobody' in this scenario",
        "strategyParameters.cost-performance-hybrid.alpha: must be between 0.0 and 1.0");
  }

  @Test
  void labRefusesUnknownScenariosAndPolicies() {
    assertThat(run("lab", "--scenario", "moon-landing")).isEqualTo(2);
    assertThat(stderr()).contains("no built-in scenario 'moon-landing'; there are: homogeneous");
    assertThat(run("lab", "--scenario", "homogeneous", "--policies", "fastest")).isEqualTo(2);
    assertThat(stderr()).contains("no policy 'fastest'; there are: round-robin");
  }

  @Test
  void noCommandOrAnUnknownOptionIsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(stderr()).contains("Usage: coordinator");
    assertThat(run("validate", "--frobnicate", "x.yaml")).isEqualTo(2);
  }

  @Test
  void tokenMintsAnHs256TokenWithTheRoleSubjectAndExpiry() throws Exception {
    Path secret = file("jwt.key", io.trafficcoordinator.config.ConfigTrees.TEST_SECRET + "\n");

    assertThat(run("token", "--role", "operator", "--subject", "alice", "--ttl", "30m", "--secret-file", secret.toString()))
        .isZero();
    String token = stdout().strip();
    String[] parts = token.split("\\.");
    assertThat(parts).hasSize(3);
    java.util.Base64.Decoder b64 = java.util.Base64.getUrlDecoder();
    io.vertx.core.json.JsonObject header = new io.vertx.core.json.JsonObject(new String(b64.decode(parts[0])));
    io.vertx.core.json.JsonObject claims = new io.vertx.core.json.JsonObject(new String(b64.decode(parts[1])));
    assertThat(header.getString("alg")).isEqualTo("HS256");
    assertThat(claims.getString("sub")).isEqualTo("alice");
    assertThat(claims.getJsonArray("roles")).containsExactly("operator");
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(1800);
    // Signed with the file's secret (its trailing newline left out).
    assertThat(io.trafficcoordinator.testing.Jwts.hs256(header, claims, io.trafficcoordinator.config.ConfigTrees.TEST_SECRET
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)).split("\\.")[2]).isEqualTo(parts[2]);
  }

  @Test
  void tokenRefusesABadRoleTtlOrSecret() throws Exception {
    Path shortSecret = file("short.key", "too short");
    assertThat(run("token", "--role", "root", "--subject", "a", "--secret-file", shortSecret.toString())).isEqualTo(2);
    assertThat(stderr()).contains("--role must be viewer, operator or admin, got 'root'");
    assertThat(run("token", "--role", "admin", "--subject", "a", "--ttl", "soon", "--secret-file", shortSecret.toString())).isEqualTo(2);
    assertThat(stderr()).contains("--ttl: not a duration: 'soon'");
    assertThat(run("token", "--role", "admin", "--subject", "a", "--secret-file", shortSecret.toString())).isEqualTo(2);
    assertThat(stderr()).contains("is 9 bytes; at least 32 are needed");
  }

  @Test
  void configExportAndImportMoveTheStoredConfigurationInAndOut() throws Exception {
    Path store = dir.resolve("data/coordinator.db");
    Path config = file("coordinator.yaml", String.join("\n",
        "security: {jwt: {keys: [{algorithm: HS256, secret: '" + io.trafficcoordinator.config.ConfigTrees.TEST_SECRET + "'}]}}",
        "store: {type: sqlite, path: '" + store + "'}",
        "services: [{name: users, strategy: round-robin, endpoints: [{url: 'http://127.0.0.1:9001'}]}]",
        "routes: [{pathPrefix: /users, service: users}]",
        ""));

    // No store yet: none is created by the command, which says where it looked.
    assertThat(run("config", "export", "--config", config.toString())).isEqualTo(1);
    assertThat(stderr()).contains("no store at " + store.toAbsolutePath());
    // An empty store (as a first start leaves before seeding): the file's own, secrets redacted.
    io.trafficcoordinator.store.SqliteStore.open(store).close();
    assertThat(run("config", "export", "--config", config.toString())).isZero();
    assertThat(stdout()).contains("not stored yet", "round-robin", "[redacted]")
        .doesNotContain(io.trafficcoordinator.config.ConfigTrees.TEST_SECRET);

    Path next = file("next.yaml", "services: [{name: users, strategy: least-latency, endpoints: [{url: 'http://127.0.0.1:9002'}]}]\n"
        + "routes: [{pathPrefix: /users, service: users}]\n");
    assertThat(run("config", "import", "--config", config.toString(), "--from", next.toString(), "--actor", "ops")).isZero();
    assertThat(stdout()).contains("as configuration version 1");
    assertThat(run("config", "export", "--config", config.toString())).isZero();
    assertThat(stdout()).contains("version 1 (import by ops", "least-latency", "http://127.0.0.1:9002");

    // A bad file is refused with its problems, and nothing is stored.
    Path bad = file("bad-next.yaml", "services: [{name: users, strategy: fastest, endpoints: [{url: 'http://127.0.0.1:9002'}]}]\n");
    assertThat(run("config", "import", "--config", config.toString(), "--from", bad.toString())).isEqualTo(2);
    assertThat(stderr()).contains("services[0].strategy: unknown strategy 'fastest'");
    Path onlyListeners = file("listeners.yaml", "listeners: {data: {port: 8081}}\n");
    assertThat(run("config", "import", "--config", config.toString(), "--from", onlyListeners.toString())).isEqualTo(2);
    assertThat(stderr()).contains("has no services, routes, limits or proxy settings to import");
    try (io.trafficcoordinator.store.SqliteStore opened = io.trafficcoordinator.store.SqliteStore.open(store)) {
      assertThat(opened.latest().orElseThrow().version()).isEqualTo(1);
      assertThat(opened.audit(new io.trafficcoordinator.store.AuditQuery(null, null, null, null, null, 10)))
          .extracting(io.trafficcoordinator.store.AuditEntry::actor).containsExactly("ops");
    }
  }
}
