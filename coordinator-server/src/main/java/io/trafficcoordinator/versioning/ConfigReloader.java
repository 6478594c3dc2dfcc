package io.trafficcoordinator.versioning;

import io.trafficcoordinator.config.tree.ConfigProblem;
import io.trafficcoordinator.config.tree.InvalidConfigException;
import io.trafficcoordinator.configfile.ConfigFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Re-reads the configuration file on SIGHUP: a valid file's services, routes, limits and proxy
 * settings become the next stored version (audited as a change by {@code file}); an invalid one is
 * refused with every problem logged and the running configuration stays. Its listeners, security and
 * store settings wait for a restart. Reloads are serialised.
 */
public final class ConfigReloader {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

  /** Reloads the control API's keys from a file tree; whether they changed. Blocking (reads key files). */
  @FunctionalInterface
  public interface KeyReload {
    boolean reload(Object fileTree) throws InvalidConfigException, IOException;
  }

  private final Path file;
  private final VersionedConfig versions;
  private final RunningConfig running;
  private final KeyReload keys;

  public ConfigReloader(Path file, VersionedConfig versions, RunningConfig running, KeyReload keys) {
    this.file = file;
    this.versions = versions;
    this.running = running;
    this.keys = keys;
  }

  /** Reloads on every SIGHUP; returns false where the platform has no SIGHUP. */
  public boolean installSignalHandler() {
    try {
      // On the JVM's signal thread, never a Vert.x one: reload() waits for the store's worker, whose
      // answer would be delivered to a Vert.x thread that reload() itself was blocking.
      Signal.handle(new Signal("HUP"), signal -> reload());
      return true;
    } catch (IllegalArgumentException e) {
      LOG.warn("SIGHUP is not available on this platform; configuration reload by signal is off");
      return false;
    }
  }

  /** Reads, validates and applies the file now. Blocking: never call it on a Vert.x thread. */
  public synchronized void reload() {
    Object next;
    try {
      next = ConfigFile.readValid(file);
    } catch (InvalidConfigException e) {
      running.refused();
      LOG.error("configuration reload refused, version {} stays; {} problem(s) in {}:",
          running.version(), e.problems().size(), file);
      for (ConfigProblem problem : e.problems()) {
        LOG.error("  {}", problem);
      }
      return;
    }
    try {
      if (keys.reload(next)) {
        LOG.info("control API keys reloaded from {}: tokens are checked with the new keys from now on", file);
      }
    } catch (InvalidConfigException | IOException | RuntimeException e) {
      LOG.error("control API keys in {} cannot be used, the old keys stay: {}", file, e.getMessage());
    }
    Map<String, Object> restartOnly = ConfigTree.bootstrap(next);
    Map<String, Object> inForce = versions.bootstrap();
    for (String section : new String[] {"listeners", "store", "controlApi"}) {
      if (!Objects.equals(restartOnly.get(section), inForce.get(section))) {
        LOG.warn("{} settings changed in {}: they apply at the next restart", section, file);
      }
    }
    Map<String, Object> traffic = ConfigTree.traffic(next);
    try {
      VersionedConfig.Change change = versions.change(new ConfigChangeRequest("file", null, "reload", "reload",
          file.toString(), null, null, null, false, (current, store) -> traffic))
          .toCompletionStage().toCompletableFuture().get();
      if (change.applied()) {
        LOG.info("configuration reloaded from {}: now version {} ({} change(s))", file, change.version(), change.patch().size());
      } else {
        LOG.info("configuration reloaded from {}: nothing changed, version {} stays", file, change.version());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      running.refused();
      Throwable cause = e.getCause();
      LOG.error("configuration reload refused, version {} stays: {}", running.version(), cause.getMessage());
      if (cause instanceof ConfigRefused refused) {
        refused.problems().forEach(problem -> LOG.error("  {}", problem));
      }
    }
  }
}
