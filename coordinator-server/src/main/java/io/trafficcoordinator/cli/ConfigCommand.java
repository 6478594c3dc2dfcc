package io.trafficcoordinator.cli;

import io.trafficcoordinator.config.ConfigBinder;
import io.trafficcoordinator.config.CoordinatorConfig;
import io.trafficcoordinator.config.Secrets;
import io.trafficcoordinator.config.tree.InvalidConfigException;
import io.trafficcoordinator.configfile.ConfigFile;
import io.trafficcoordinator.store.ConfigVersion;
import io.trafficcoordinator.store.SqliteStore;
import io.trafficcoordinator.store.StoreException;
import io.trafficcoordinator.versioning.ConfigTree;
import io.trafficcoordinator.versioning.VersionedConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coordinator config export|import}: the configuration in force, out of the store as YAML, or
 * a YAML file into the store as its next version. Works beside a running coordinator (SQLite allows
 * it); a running coordinator serves an imported version from its next restart.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Move the stored configuration in and out of the store.",
    subcommands = {ConfigCommand.Export.class, ConfigCommand.Import.class})
final class ConfigCommand {

  private ConfigCommand() {}

  /** The configuration file's tree, validated; null after printing its problems. */
  private static Object readOrPrint(Path config) {
    try {
      return ConfigFile.readValid(config);
    } catch (InvalidConfigException e) {
      ConfigErrors.print(config, e);
      return null;
    }
  }

  /** Opens the SQLite store the configuration file's tree names. */
  private static SqliteStore storeOf(Object fileTree) throws StoreException {
    CoordinatorConfig config;
    try {
      config = ConfigBinder.bind(fileTree);
    } catch (InvalidConfigException e) {
      throw new IllegalStateException("a validated tree no longer binds", e);
    }
    if (config.store().inMemory()) {
      throw new StoreException("the configuration's store is in memory: there is nothing on disk to read or write", null);
    }
    Path path = Path.of(config.store().path());
    // Never create one here: a relative path read from another directory would make a new, empty
    // store beside the real one, and the import would land there.
    if (!Files.isRegularFile(path)) {
      throw new StoreException("no store at " + path.toAbsolutePath() + " (store.path is relative to the directory the"
          + " coordinator runs in; it creates the store when it first starts)", null);
    }
    return SqliteStore.open(path);
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = {"Print the configuration in force (the store's newest version, with the file's listeners, security",
          "and store settings) as YAML; secrets are redacted."})
  static final class Export implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The coordinator's configuration file (it names the store).")
    Path config;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write here instead of standard output.")
    Path out;

    @Override
    public Integer call() throws IOException {
      Object fileTree = readOrPrint(config);
      if (fileTree == null) {
        return Main.INVALID;
      }
      try (SqliteStore store = storeOf(fileTree)) {
        Optional<ConfigVersion> latest = store.latest();
        Map<String, Object> traffic = latest.map(v -> ConfigTree.fromJson(v.document())).orElse(ConfigTree.traffic(fileTree));
        String header = "# Traffic Coordinator configuration, "
            + latest.map(v -> "version " + v.version() + " (" + v.source() + " by " + v.actor() + ", " + v.at() + ")")
                .orElse("not stored yet (the file's own)") + "; secrets redacted\n";
        String yaml = header + ConfigFile.toYaml(Secrets.redact(ConfigTree.whole(ConfigTree.bootstrap(fileTree), traffic)));
        if (out == null) {
          System.out.print(yaml);
        } else {
          Files.writeString(out, yaml, StandardCharsets.UTF_8);
          System.out.println("wrote " + out + (latest.isPresent() ? " (version " + latest.get().version() + ")" : ""));
        }
        return 0;
      } catch (StoreException e) {
        System.err.println("coordinator: " + e.getMessage());
        return Main.FAILED;
      }
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = {"Store the services, routes, limits and proxy settings of a YAML file as the next configuration",
          "version (validated first; audited). A running coordinator serves it from its next restart."})
  static final class Import implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The coordinator's configuration file (it names the store).")
    Path config;

    @Option(names = "--from", required = true, paramLabel = "FILE", description = "The YAML file to import (an export, edited, for example).")
    Path from;

    @Option(names = "--actor", paramLabel = "NAME", description = "Who imports, for the audit log (default: the user running the command).")
    String actor;

    @Override
    public Integer call() {
      Object fileTree = readOrPrint(config);
      if (fileTree == null) {
        return Main.INVALID;
      }
      Object imported;
      try {
        imported = ConfigFile.read(from);
      } catch (InvalidConfigException e) {
        ConfigErrors.print(from, e);
        return Main.INVALID;
      }
      if (!(imported instanceof Map<?, ?> top)) {
        System.err.println("coordinator: " + from + " must hold a configuration (a map with services and routes)");
        return Main.INVALID;
      }
      if (ConfigTree.traffic(imported).isEmpty()) {
        System.err.println("coordinator: " + from + " has no services, routes, limits or proxy settings to import");
        return Main.INVALID;
      }
      var ignored = ConfigTree.bootstrap(top).keySet();
      if (!ignored.isEmpty()) {
        System.err.println("coordinator: note: " + String.join(", ", ignored) + " in " + from
            + " are not imported (they always come from " + config + ")");
      }
      String who = actor != null ? actor : System.getProperty("user.name", "cli");
      try (SqliteStore store = storeOf(fileTree)) {
        long version = VersionedConfig.importVersion(store, ConfigTree.bootstrap(fileTree), ConfigTree.traffic(imported), who,
            from.toString(), Clock.systemUTC());
        System.out.println("imported " + from + " as configuration version " + version);
        return 0;
      } catch (InvalidConfigException e) {
        ConfigErrors.print(from, e);
        return Main.INVALID;
      } catch (StoreException e) {
        System.err.println("coordinator: " + e.getMessage());
        return Main.FAILED;
      }
    }
  }
}
