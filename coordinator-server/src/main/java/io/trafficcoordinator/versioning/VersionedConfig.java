package io.trafficcoordinator.versioning;

import io.trafficcoordinator.config.ConfigBinder;
import io.trafficcoordinator.config.ConfigPatch;
import io.trafficcoordinator.config.CoordinatorConfig;
import io.trafficcoordinator.config.Secrets;
import io.trafficcoordinator.config.tree.ConfigProblem;
import io.trafficcoordinator.config.tree.InvalidConfigException;
import io.trafficcoordinator.store.AuditEntry;
import io.trafficcoordinator.store.ConfigVersion;
import io.trafficcoordinator.store.Store;
import io.trafficcoordinator.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration's versions: the current one in memory, every one in the {@link Store}. Every
 * change — from the control API, a file reload, a rollback — goes through {@link #change}, one at a
 * time on the store's single worker thread: the next tree is computed from the current one,
 * validated by the same binder as the file, stored with its audit entry in one transaction, and
 * only then applied and acknowledged. So an acknowledged change survives a crash, and a crash
 * before the commit leaves the previous version whole.
 */
public final class VersionedConfig {

  private static final Logger LOG = LoggerFactory.getLogger(VersionedConfig.class);

  /** The version in force: its number, its traffic tree and the whole configuration bound from it. */
  public record Current(long version, Map<String, Object> traffic, CoordinatorConfig config) {}

  /**
   * What a change did.
   *
   * @param version the version now in force (unchanged for a dry run or a change that changed nothing)
   * @param patch the RFC 6902 patch from the previous traffic tree, secrets redacted
   * @param applied whether a new version was stored and applied
   */
  public record Change(long version, List<Map<String, Object>> patch, boolean applied) {}

  /** Applies a validated configuration as a given version (the coordinator's plan swap). */
  @FunctionalInterface
  public interface Applier {
    void apply(CoordinatorConfig config, long version);
  }

  private final Store store;
  private final WorkerExecutor worker;
  private volatile Map<String, Object> bootstrap;
  private final Clock wallClock;
  private final Applier applier;
  private volatile Current current;

  public VersionedConfig(Store store, WorkerExecutor worker, Map<String, Object> bootstrap, Clock wallClock, Current current,
      Applier applier) {
    this.store = store;
    this.worker = worker;
    this.bootstrap = bootstrap;
    this.wallClock = wallClock;
    this.current = current;
    this.applier = applier;
  }

  /**
   * The version to start with, read from {@code store}: its newest version, or, in an empty store,
   * the file's traffic sections stored as version 1. The file's bootstrap sections apply either way.
   * Blocking.
   */
  public static Current load(Store store, Object fileTree, Clock wallClock) throws StoreException, InvalidConfigException {
    Map<String, Object> bootstrap = ConfigTree.bootstrap(fileTree);
    var latest = store.latest();
    if (latest.isPresent()) {
      Map<String, Object> traffic = ConfigTree.fromJson(latest.get().document());
      CoordinatorConfig config = ConfigBinder.bind(ConfigTree.whole(bootstrap, traffic));
      LOG.info("configuration version {} from the store ({} by {}, {}); the file's listeners, security and store"
          + " settings apply, its services and routes only seed an empty store", latest.get().version(),
          latest.get().source(), latest.get().actor(), latest.get().at());
      return new Current(latest.get().version(), traffic, config);
    }
    Map<String, Object> traffic = ConfigTree.traffic(fileTree);
    CoordinatorConfig config = ConfigBinder.bind(ConfigTree.whole(bootstrap, traffic));
    ConfigVersion first = new ConfigVersion(1, wallClock.instant(), "file", "seed", "seeded from the configuration file",
        ConfigTree.toJson(traffic));
    AuditEntry audit = new AuditEntry(0, first.at(), "file", null, "seed", null, "applied", 200, null, null, null,
        first.summary(), 1);
    if (!store.append(first, List.of(audit))) {
      throw new StoreException("another instance seeded the store at the same time; start again", null);
    }
    LOG.info("empty store: seeded configuration version 1 from the file");
    return new Current(1, traffic, config);
  }

  /**
   * Stores {@code traffic} as the next version of {@code store} without a running coordinator
   * ({@code coordinator config import}): validated with {@code bootstrap}, audited as {@code actor}.
   * Blocking. Returns the new version's number.
   */
  public static long importVersion(Store store, Map<String, Object> bootstrap, Map<String, Object> traffic, String actor,
      String from, Clock wallClock) throws StoreException, InvalidConfigException {
    ConfigBinder.bind(ConfigTree.whole(bootstrap, traffic));
    var latest = store.latest();
    Map<String, Object> before = latest.map(v -> ConfigTree.fromJson(v.document())).orElse(Map.of());
    long number = latest.map(v -> v.version() + 1).orElse(1L);
    ConfigVersion next = new ConfigVersion(number, wallClock.instant(), actor, "import", "imported from " + from,
        ConfigTree.toJson(traffic));
    AuditEntry audit = new AuditEntry(0, next.at(), actor, null, "config-import", from, "applied", 200, null, "cli",
        ConfigTree.toJson(Secrets.redactPatch(ConfigPatch.diff(before, traffic))), "version " + (number - 1) + " -> " + number, 1);
    if (!store.append(next, List.of(audit))) {
      throw new StoreException("another change was stored at the same time; import again", null);
    }
    return number;
  }

  public Current current() {
    return current;
  }

  /** The bootstrap sections in force (from the file; all but security fixed until a restart). */
  public Map<String, Object> bootstrap() {
    return bootstrap;
  }

  /** The file's {@code security} section from now on (the keys were reloaded). */
  public void replaceSecurity(Object security) {
    Map<String, Object> next = new java.util.LinkedHashMap<>(bootstrap);
    next.put("security", security);
    bootstrap = next;
  }

  /** The store, for reads on the store's thread ({@link #read}). */
  public Store store() {
    return store;
  }

  /** Runs a read of the store on its thread. */
  public <T> Future<T> read(Callable<T> read) {
    return worker.executeBlocking(read, true);
  }

  /** Makes a change; fails with {@link ConfigRefused} when it cannot be made. */
  public Future<Change> change(ConfigChangeRequest request) {
    return worker.executeBlocking(() -> make(request), true);
  }

  private Change make(ConfigChangeRequest request) throws StoreException {
    Current was = current;
    if (request.expectedVersion() != null && request.expectedVersion() != was.version()) {
      throw new ConfigRefused(409, "version-conflict", "the configuration is at version " + was.version()
          + ", not the expected " + request.expectedVersion() + "; read it again and retry");
    }
    Map<String, Object> next = request.edit().apply(ConfigTree.copy(was.traffic()), store);
    CoordinatorConfig config;
    try {
      config = ConfigBinder.bind(ConfigTree.whole(bootstrap, next));
    } catch (InvalidConfigException e) {
      throw new ConfigRefused(400, "invalid-configuration", "the resulting configuration is invalid ("
          + e.problems().size() + " problem" + (e.problems().size() == 1 ? "" : "s") + ")", e.problems());
    }
    List<ConfigProblem> missingFiles = ConfigFiles.upstreamProblems(config);
    if (!missingFiles.isEmpty()) {
      throw new ConfigRefused(400, "invalid-configuration", "the configuration names files that cannot be read",
          missingFiles);
    }
    List<Map<String, Object>> patch = Secrets.redactPatch(ConfigPatch.diff(was.traffic(), next));
    if (request.dryRun() || patch.isEmpty()) {
      return new Change(was.version(), patch, false);
    }
    ConfigVersion version = new ConfigVersion(was.version() + 1, wallClock.instant(), request.actor(), request.source(),
        request.action() + (request.target() == null ? "" : " " + request.target()), ConfigTree.toJson(next));
    AuditEntry audit = new AuditEntry(0, version.at(), request.actor(), request.role(), request.action(), request.target(),
        "applied", 200, request.correlationId(), request.client(), ConfigTree.toJson(patch),
        "version " + was.version() + " -> " + version.version(), 1);
    if (!store.append(version, List.of(audit))) {
      // Someone else wrote to the store (another process on the same file): follow it.
      reloadFromStore();
      throw new ConfigRefused(409, "version-conflict", "another change was stored first; read the configuration again and retry");
    }
    // Stored: from here on it is the current version, whatever happens while applying it.
    current = new Current(version.version(), next, config);
    try {
      applier.apply(config, version.version());
    } catch (RuntimeException e) {
      LOG.error("configuration version {} is stored but could not be applied; the previous plan keeps serving", version.version(), e);
      throw new ConfigRefused(500, "not-applied", "version " + version.version() + " was stored but could not be applied;"
          + " the previous configuration keeps serving (see the log, correlation id " + request.correlationId() + ")");
    }
    return new Change(version.version(), patch, true);
  }

  private void reloadFromStore() throws StoreException {
    var latest = store.latest();
    if (latest.isEmpty() || latest.get().version() == current.version()) {
      return;
    }
    Map<String, Object> traffic = ConfigTree.fromJson(latest.get().document());
    try {
      CoordinatorConfig config = ConfigBinder.bind(ConfigTree.whole(bootstrap, traffic));
      current = new Current(latest.get().version(), traffic, config);
      applier.apply(config, latest.get().version());
      LOG.warn("configuration version {} was stored by someone else; now serving it", latest.get().version());
    } catch (InvalidConfigException | RuntimeException e) {
      LOG.error("configuration version {} in the store cannot be applied: {}", latest.get().version(), e.getMessage());
    }
  }

  /** Closes the store once the worker is done with it. */
  public Future<Void> close() {
    Future<Void> closed = worker.executeBlocking(() -> {
      store.close();
      return null;
    }, true);
    return closed.eventually(() -> worker.close());
  }
}
