package io.trafficcoordinator.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code coordinator} in a child JVM, launched from the test classpath with the CLI's main
 * class, so that signals, exit codes and memory limits are those of a real process. Its output is
 * collected; Netty's leak detector runs at paranoid level and any leak report fails {@link #stop}.
 */
public final class CoordinatorProcess implements AutoCloseable {

  /**
   * YAML lines every test configuration needs: an HS256 key for the control API (the secret of
   * {@code ConfigTrees.TEST_SECRET}) and an in-memory store, so that no test writes under the
   * working directory.
   */
  public static final String TEST_SECURITY_AND_STORE = "security: {jwt: {keys: [{algorithm: HS256, secret: "
      + "'test-secret-of-thirty-two-bytes!'}]}}\nstore: {type: memory}";


  private static final Pattern READY =
      Pattern.compile("ready: data listener on (\\S+):(\\d+), control listener on (\\S+):(\\d+), configuration version (\\d+)");

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private volatile int dataPort = -1;
  private volatile int controlPort = -1;

  private CoordinatorProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::collect, "coordinator-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Runs {@code coordinator ARGS...} with extra JVM options; does not wait for anything. */
  public static CoordinatorProcess launch(List<String> jvmOptions, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-Dio.netty.leakDetection.level=paranoid");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.trafficcoordinator.cli.Main");
    command.addAll(List.of(args));
    return new CoordinatorProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  /**
   * Runs the packaged jar ({@code java -jar coordinator.jar ARGS...}), as a user would; the jar is
   * the one named by the {@code coordinator.jar} system property (set by failsafe).
   */
  public static CoordinatorProcess launchJar(String... args) throws IOException {
    String jar = System.getProperty("coordinator.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("no packaged jar (system property coordinator.jar: " + jar + "); run through mvn verify");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar);
    command.addAll(List.of(args));
    return new CoordinatorProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  /** Kills the process at once (SIGKILL): no shutdown hook runs, nothing is flushed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Runs {@code coordinator run --config FILE} and waits until it reports it is ready. */
  public static CoordinatorProcess run(Path config, String... jvmOptions) throws Exception {
    CoordinatorProcess started = launch(List.of(jvmOptions), "run", "--config", config.toString());
    started.awaitReady(Duration.ofSeconds(60));
    return started;
  }

  private void collect() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        output.add(line);
        Matcher ready = READY.matcher(line);
        if (ready.find()) {
          dataPort = Integer.parseInt(ready.group(2));
          controlPort = Integer.parseInt(ready.group(4));
        }
      }
    } catch (IOException e) {
      output.add("[output reader failed: " + e + "]");
    }
  }

  public void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (dataPort < 0) {
      if (!process.isAlive()) {
        throw new IllegalStateException("coordinator exited with " + process.exitValue() + " before it was ready:\n" + output());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("coordinator not ready within " + timeout + ":\n" + output());
      }
      Thread.sleep(20);
    }
  }

  public int dataPort() {
    return dataPort;
  }

  public int controlPort() {
    return controlPort;
  }

  public long pid() {
    return process.pid();
  }

  /** Sends a signal by name (HUP, TERM, INT, KILL). */
  public void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-s", name, String.valueOf(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -s " + name + " failed");
    }
  }

  /** Everything the process printed so far, one line each. */
  public String output() {
    return String.join("\n", output);
  }

  public List<String> outputLines() {
    return List.copyOf(output);
  }

  /** Waits for the process to end by itself and returns its exit status. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("coordinator did not exit within " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  /** SIGTERM, wait for exit 0, and check that no Netty leak was reported. */
  public void stop() throws Exception {
    if (process.isAlive()) {
      signal("TERM");
      int status = awaitExit(Duration.ofSeconds(30));
      if (status != 0) {
        throw new IllegalStateException("coordinator exited with " + status + " on SIGTERM:\n" + output());
      }
    }
    if (output().contains("LEAK:")) {
      throw new IllegalStateException("the coordinator reported a Netty buffer leak:\n" + output());
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
