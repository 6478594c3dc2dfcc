package io.trafficcoordinator.cli;

import io.trafficcoordinator.config.tree.InvalidConfigException;
import io.trafficcoordinator.configfile.ConfigFile;
import io.trafficcoordinator.server.Coordinator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coordinator run --config FILE}: serves traffic until Ctrl-C or SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Start the coordinator with a configuration file.",
        "SIGHUP re-reads the file: a valid file is applied without dropping a request; an invalid one is refused"
            + " and the running configuration stays."})
final class RunCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The YAML configuration file.")
  Path config;

  @Override
  public Integer call() throws Exception {
    Object loaded;
    try {
      loaded = ConfigFile.readValid(config);
    } catch (InvalidConfigException e) {
      ConfigErrors.print(config, e);
      return Main.INVALID;
    }
    Coordinator coordinator = Running.start(loaded);
    if (coordinator == null) {
      return Main.FAILED;
    }
    coordinator.reloader(config.toAbsolutePath()).installSignalHandler();
    Shutdown shutdown = new Shutdown();
    shutdown.onSignals(() -> Running.stop(coordinator));
    shutdown.awaitStop();
    return 0;
  }
}
