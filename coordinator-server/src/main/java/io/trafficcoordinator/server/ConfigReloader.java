package io.trafficcoordinator.server;

import io.trafficcoordinator.config.ConfigProblem;
import io.trafficcoordinator.config.CoordinatorConfig;
import io.trafficcoordinator.config.InvalidConfigException;
import io.trafficcoordinator.configfile.ConfigFile;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Re-reads the configuration file on SIGHUP: a valid file is applied as the next version, an
 * invalid one is refused with every problem logged and the running configuration stays. Reading
 * and validating happen on a worker thread; reloads are serialised.
 */
public final class ConfigReloader {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

  private final Path file;
  private final Coordinator coordinator;

  public ConfigReloader(Path file, Coordinator coordinator) {
    this.file = file;
    this.coordinator = coordinator;
  }

  /** Reloads on every SIGHUP; returns false where the platform has no SIGHUP. */
  public boolean installSignalHandler() {
    try {
      Signal.handle(new Signal("HUP"), signal -> coordinator.vertx().executeBlocking(() -> {
        reload();
        return null;
      }, true));
      return true;
    } catch (IllegalArgumentException e) {
      LOG.warn("SIGHUP is not available on this platform; configuration reload by signal is off");
      return false;
    }
  }

  /** Reads, validates and applies the file now. Blocking. */
  public synchronized void reload() {
    CoordinatorConfig next;
    try {
      next = ConfigFile.load(file);
    } catch (InvalidConfigException e) {
      coordinator.refused();
      LOG.error("configuration reload refused, version {} stays; {} problem(s) in {}:",
          coordinator.configVersion(), e.problems().size(), file);
      for (ConfigProblem problem : e.problems()) {
        LOG.error("  {}", problem);
      }
      return;
    }
    ConfigChange change = coordinator.apply(next);
    LOG.info("configuration reloaded from {}: now version {}", file, change.version());
    change.deferred().forEach(note -> LOG.warn("  {}", note));
  }
}
