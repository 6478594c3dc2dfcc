package io.trafficcoordinator.cli;

import io.trafficcoordinator.telemetry.BuildInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/** The {@code coordinator} command line. */
@Command(
    name = "coordinator",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Traffic Coordinator: a reverse proxy that picks, per request, the best endpoint of a service.",
    subcommands = {RunCommand.class, ValidateCommand.class, DemoCommand.class, LabCommand.class, ChaosCommand.class, TokenCommand.class,
        ConfigCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success, or stopped by Ctrl-C / SIGTERM",
        "1:could not start (for example a port already in use)",
        "2:invalid configuration or command line"})
public final class Main implements Callable<Integer> {

  /** Exit status for a configuration or usage error. */
  public static final int INVALID = 2;
  /** Exit status when the coordinator could not start. */
  public static final int FAILED = 1;

  @Option(names = "--log-format", scope = ScopeType.INHERIT, paramLabel = "text|json",
      description = "Log lines as readable text (default) or as one JSON object each.")
  LogFormat logFormat = LogFormat.text;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Chosen before any logger exists: Logback reads its configuration once.
    LogFormat.configureFrom(args);
    System.exit(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    return INVALID;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
          "Traffic Coordinator " + BuildInfo.version(),
          "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
  }
}
