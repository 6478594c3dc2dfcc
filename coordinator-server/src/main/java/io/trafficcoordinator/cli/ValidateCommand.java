package io.trafficcoordinator.cli;

import io.trafficcoordinator.config.CoordinatorConfig;
import io.trafficcoordinator.config.tree.InvalidConfigException;
import io.trafficcoordinator.configfile.ConfigFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coordinator validate FILE}: checks a configuration file without starting anything. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check a configuration file; print every problem with its path. Exit 0 when valid, 2 when not.")
final class ValidateCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", description = "The YAML configuration file.")
  Path file;

  @Override
  public Integer call() {
    try {
      CoordinatorConfig config = ConfigFile.load(file);
      System.out.printf("%s: valid (%d services, %d routes)%n", file, config.services().size(), config.routes().size());
      return 0;
    } catch (InvalidConfigException e) {
      ConfigErrors.print(file, e);
      return Main.INVALID;
    }
  }
}
