package io.trafficcoordinator.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trafficcoordinator.config.ConfigBinder;
import io.trafficcoordinator.config.CoordinatorConfig;
import io.trafficcoordinator.config.LimitsConfig;
import io.trafficcoordinator.config.ListenerConfig;
import io.trafficcoordinator.config.SecurityConfig;
import io.trafficcoordinator.config.StoreConfig;
import io.trafficcoordinator.config.tree.ConfigProblem;
import io.trafficcoordinator.config.tree.InvalidConfigException;
import io.trafficcoordinator.control.ControlApi;
import io.trafficcoordinator.control.ControlServer;
import io.trafficcoordinator.endpoint.StatsSettings;
import io.trafficcoordinator.health.ActiveHealthChecks;
import io.trafficcoordinator.health.EndpointEvents;
import io.trafficcoordinator.health.Readiness;
import io.trafficcoordinator.plan.TrafficPlan;
import io.trafficcoordinator.plan.TrafficPlanBuilder;
import io.trafficcoordinator.proxy.ActivePlan;
import io.trafficcoordinator.proxy.DataPlane;
import io.trafficcoordinator.proxy.ProxyVerticle;
import io.trafficcoordinator.proxy.UpstreamClient;
import io.trafficcoordinator.security.RemoteKeySet;
import io.trafficcoordinator.security.TokenVerifier;
import io.trafficcoordinator.store.MemoryStore;
import io.trafficcoordinator.store.SqliteStore;
import io.trafficcoordinator.store.Store;
import io.trafficcoordinator.store.StoreException;
import io.trafficcoordinator.telemetry.AccessLog;
import io.trafficcoordinator.telemetry.BuildInfo;
import io.trafficcoordinator.telemetry.ConfigMetrics;
import io.trafficcoordinator.telemetry.EndpointStateMetrics;
import io.trafficcoordinator.telemetry.KeySetMetrics;
import io.trafficcoordinator.telemetry.ProxyMetrics;
import io.trafficcoordinator.telemetry.StateChangeLog;
import io.trafficcoordinator.time.NanoClock;
import io.trafficcoordinator.versioning.ConfigChange;
import io.trafficcoordinator.versioning.ConfigFiles;
import io.trafficcoordinator.versioning.ConfigReloader;
import io.trafficcoordinator.versioning.ConfigTree;
import io.trafficcoordinator.versioning.RunningConfig;
import io.trafficcoordinator.versioning.VersionedConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running coordinator: Vert.x, the data listener (one proxy verticle per event loop), the
 * control listener, and the configuration currently applied.
 *
 * <p>What it wires: the configuration in force and its versions ({@link RunningConfig},
 * {@link VersionedConfig}), the data plane, active health checks, the outlier sweeps, the control
 * API, and the {@link Drain} that {@link #stop} runs.
 */
public final class Coordinator {

  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

  private final CoordinatorOptions options;
  private final Vertx vertx;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final NanoClock clock;
  private final ProxyMetrics metrics;
  private final EndpointStateMetrics endpointMetrics;
  private final Readiness readiness = new Readiness();
  private final RunningConfig running;
  private final long startNanos;
  /** How often every service's endpoints are judged for stalls. */
  private static final long STALL_WATCH_MILLIS = 25;

  private DataPlane dataPlane;
  private ActiveHealthChecks healthChecks;
  private long outlierSweeps;
  private long stallWatch;
  private final List<ProxyVerticle> proxies = new ArrayList<>();
  private ControlServer control;
  private VersionedConfig versions;
  private volatile TokenVerifier tokens;
  private RemoteKeySet remoteKeys;
  private KeySetMetrics keySetMetrics;
  private int dataPort;
  private int controlPort;

  private Coordinator(CoordinatorOptions options) {
    this.options = options;
    VertxOptions vertxOptions = new VertxOptions().setPreferNativeTransport(true);
    if (options.vertxMetrics() != null) {
      vertxOptions.setMetricsOptions(new MetricsOptions().setEnabled(true));
      this.vertx = Vertx.builder().with(vertxOptions).withMetrics(options.vertxMetrics()).build();
    } else {
      this.vertx = Vertx.vertx(vertxOptions);
    }
    if (vertx.isNativeTransportEnabled()) {
      LOG.info("transport: native epoll");
    } else {
      Throwable why = vertx.unavailableNativeTransportCause();
      LOG.info("transport: Java NIO (native transport unavailable: {})", why == null ? "not on this platform" : why.getMessage());
    }
    this.clock = options.balancing().clock();
    this.metrics = new ProxyMetrics(registry, clock);
    this.endpointMetrics = new EndpointStateMetrics(registry);
    TrafficPlanBuilder planBuilder = new TrafficPlanBuilder(
        options.balancing().withEvents(new EndpointEvents(vertx, endpointMetrics, new StateChangeLog(clock))), StatsSettings.DEFAULT);
    this.running = new RunningConfig(vertx, planBuilder, metrics, new ConfigMetrics(registry));
    this.startNanos = clock.nanoTime();
  }

  /**
   * Starts a coordinator from the configuration file's tree: opens the store (which the file seeds
   * when it is empty, and which otherwise holds the services and routes in force), then the control
   * listener (its health answers 503 while starting), then the data listener; ready once both are
   * bound. Fails with a {@link ListenerBindException} naming the address when a port cannot be
   * bound, with an {@link InvalidConfigException} when the stored configuration no longer binds,
   * and with a {@link StoreException} when the store cannot be used.
   *
   * @param fileTree the file's configuration tree, already validated
   */
  public static Future<Coordinator> start(Object fileTree, CoordinatorOptions options) {
    Coordinator coordinator = new Coordinator(options);
    return coordinator.openStore(fileTree)
        .compose(coordinator::startListeners)
        .recover(failure -> {
          // Not chained on close(): its completion would be delivered to an event loop that is gone.
          if (coordinator.remoteKeys != null) {
            coordinator.remoteKeys.close();
          }
          Future<Void> storeClosed = coordinator.versions == null ? Future.succeededFuture() : coordinator.versions.close();
          storeClosed.onComplete(closed -> coordinator.vertx.close());
          return Future.failedFuture(failure);
        })
        .map(started -> coordinator);
  }

  private Future<VersionedConfig.Current> openStore(Object fileTree) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("coordinator-store", 1);
    return worker.executeBlocking(() -> {
      CoordinatorConfig fromFile = ConfigBinder.bind(fileTree);
      List<ConfigProblem> missing = new ArrayList<>(ConfigFiles.listenerProblems(fromFile));
      missing.addAll(ConfigFiles.upstreamProblems(fromFile));
      if (!missing.isEmpty()) {
        throw new InvalidConfigException(missing);
      }
      try {
        if (fromFile.security().jwksUrl() != null) {
          remoteKeys = new RemoteKeySet(fromFile.security().jwksUrl(), Clock.systemUTC());
          // A failure here is fatal only when no other key is configured (create() then says so).
          remoteKeys.fetchNow();
        }
        tokens = TokenVerifier.create(vertx, fromFile.security(), remoteKeys());
      } catch (IOException | RuntimeException e) {
        throw new StoreException("the control API cannot check tokens: " + e.getMessage(), e);
      }
      StoreConfig settings = fromFile.store();
      Store store = settings.inMemory() ? new MemoryStore() : SqliteStore.open(Path.of(settings.path()));
      try {
        VersionedConfig.Current first = VersionedConfig.load(store, fileTree, Clock.systemUTC());
        versions = new VersionedConfig(store, worker, ConfigTree.bootstrap(fileTree), Clock.systemUTC(), first,
            running::apply);
        return first;
      } catch (StoreException | InvalidConfigException | RuntimeException e) {
        store.close();
        throw e;
      }
    }, true).onFailure(failed -> worker.close());
  }

  /** The control listener (for tests that inspect its routes). */
  public ControlServer control() {
    return control;
  }

  /** The configuration's versions, current and stored; every audited change goes through it. */
  public VersionedConfig versions() {
    return versions;
  }

  /** The configuration in force; every change to it goes through {@link #versions()}. */
  public RunningConfig running() {
    return running;
  }

  /** Reloads {@code file} on SIGHUP ({@link ConfigReloader#installSignalHandler}) or when asked. */
  public ConfigReloader reloader(Path file) {
    return new ConfigReloader(file, versions, running, this::reloadSecurity);
  }

  private Future<Void> startListeners(VersionedConfig.Current first) {
    CoordinatorConfig config = first.config();
    TrafficPlan plan = running.first(config, first.version());
    UpstreamClient upstream = new UpstreamClient(vertx, config.limits(), config.proxy().upstreamTls(),
        metrics.connectionErrors());
    dataPlane = new DataPlane(vertx, new ActivePlan(plan, upstream, new AccessLog(config.proxy().accessLog())),
        metrics, clock, options.balancing().rngSource().next(), () -> tokens);
    healthChecks = new ActiveHealthChecks(vertx, () -> dataPlane.active().plan(), clock,
        options.balancing().rngSource().next(), endpointMetrics, config.proxy().upstreamTls());
    running.serve(dataPlane, healthChecks);
    healthChecks.onPlan(plan);
    // The interval detectors of outlier ejection: each service sweeps when its own interval is due.
    outlierSweeps = vertx.setPeriodic(1000, tick -> dataPlane.active().plan().services().values()
        .forEach(service -> service.balancer().sweepOutliers()));
    // Stall detection: a black hole is found within a few of these ticks, not at a timeout.
    stallWatch = vertx.setPeriodic(STALL_WATCH_MILLIS, tick -> dataPlane.active().plan().services().values()
        .forEach(service -> service.balancer().watchStalls()));
    ControlApi api = new ControlApi(vertx, tokens, versions, () -> dataPlane.active().plan(), clock,
        startNanos, config.store().auditRetention(), config.controlApi());
    control = new ControlServer(vertx, registry::scrape, readiness, this::healthDetails, api);
    ListenerConfig controlListener = config.listeners().control();
    ListenerConfig dataListener = config.listeners().data();
    return control.listen(controlListener)
        .recover(failure -> Future.failedFuture(new ListenerBindException("control", controlListener, failure)))
        .compose(bound -> {
          controlPort = control.actualPort();
          return deployProxies(dataListener, config.limits());
        })
        .map(port -> {
          dataPort = port;
          watchRemoteKeys();
          readiness.ready();
          LOG.info("ready: data listener on {}:{}, control listener on {}:{}, configuration version {}",
              dataListener.host(), dataPort, controlListener.host(), controlPort, running.version());
          return null;
        });
  }

  /** The keys last fetched from {@code security.jwt.jwksUrl}, or none. */
  private List<JsonObject> remoteKeys() {
    return remoteKeys == null ? List.of() : remoteKeys.keys();
  }

  /** Rebuilds the verifier (control API and routes) whenever the fetched keys change. */
  private void watchRemoteKeys() {
    if (remoteKeys == null) {
      return;
    }
    if (keySetMetrics == null) {
      keySetMetrics = new KeySetMetrics(registry);
    }
    keySetMetrics.fetched(!remoteKeys.keys().isEmpty());
    remoteKeys.refreshEvery(this::useRemoteKeys, keySetMetrics::fetched);
  }

  /**
   * Puts {@code keys} from the provider in force beside the configured ones; false when they cannot
   * be used. Under the coordinator's lock, as a key reload is: neither can undo the other's keys.
   */
  private synchronized boolean useRemoteKeys(List<JsonObject> keys) {
    try {
      TokenVerifier next = TokenVerifier.create(vertx, running.current().security(), keys);
      tokens = next;
      control.useVerifier(next);
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.error("the fetched signing keys cannot be used, the previous ones stay: {}", e.getMessage());
      return false;
    }
  }

  private Future<Integer> deployProxies(ListenerConfig listener, LimitsConfig limits) {
    DeploymentOptions deployment = new DeploymentOptions().setInstances(options.proxyEventLoops());
    return vertx.deployVerticle(() -> {
      ProxyVerticle proxy = new ProxyVerticle(dataPlane, listener, limits);
      synchronized (proxies) {
        proxies.add(proxy);
      }
      return proxy;
    }, deployment)
        .recover(failure -> Future.failedFuture(new ListenerBindException("data", listener, failure)))
        .map(id -> proxies.get(0).actualPort());
  }

  /** Applies a validated configuration as the next version, outside the store (tests). */
  public ConfigChange apply(CoordinatorConfig next) {
    return running.apply(next);
  }

  /**
   * Reloads the control API's keys from the file's {@code security} section when it changed (key
   * rotation without a restart): the new keys are read and checked first, and only then do tokens
   * get checked against them; if they cannot be used, the old keys stay and the error is thrown.
   * Blocking (reads key files).
   *
   * @return whether the keys changed
   */
  public synchronized boolean reloadSecurity(Object fileTree) throws InvalidConfigException, IOException {
    CoordinatorConfig fromFile = ConfigBinder.bind(fileTree);
    if (fromFile.security().equals(running.current().security())) {
      return false;
    }
    SecurityConfig.JwksUrl was = running.current().security().jwksUrl();
    SecurityConfig.JwksUrl wants = fromFile.security().jwksUrl();
    RemoteKeySet fetching = remoteKeys;
    if (!java.util.Objects.equals(was, wants)) {
      // A provider removed is trusted no more; one added or moved is fetched before its keys count.
      fetching = wants == null ? null : new RemoteKeySet(wants, Clock.systemUTC());
      if (fetching != null) {
        fetching.fetchNow();
      }
    }
    TokenVerifier next = TokenVerifier.create(vertx, fromFile.security(),
        fetching == null ? List.of() : fetching.keys());
    control.useVerifier(next);
    tokens = next;
    versions.replaceSecurity(ConfigTree.bootstrap(fileTree).get("security"));
    running.replaceSecurity(fromFile.security());
    if (fetching != remoteKeys) {
      if (remoteKeys != null) {
        remoteKeys.close();
      }
      remoteKeys = fetching;
      watchRemoteKeys();
    }
    return true;
  }

  public CoordinatorConfig currentConfig() {
    return running.current();
  }

  public long configVersion() {
    return running.version();
  }

  public int dataPort() {
    return dataPort;
  }

  public int controlPort() {
    return controlPort;
  }

  public Readiness readiness() {
    return readiness;
  }

  public Vertx vertx() {
    return vertx;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public DataPlane dataPlane() {
    return dataPlane;
  }

  /**
   * Drains and stops: the {@link Drain} of the data listener (health 503, no new connections,
   * requests in flight get up to {@code limits.drainTimeout}), then the control API, the store and
   * Vert.x. Active health checks and outlier sweeps stop as soon as the drain has begun. The
   * control listener answers until the end.
   */
  public synchronized Future<Void> stop() {
    if (remoteKeys != null) {
      remoteKeys.close();
    }
    Future<Void> drained = new Drain(readiness, proxies, dataPlane.connections(), clock)
        .run(running.current().limits().drainTimeout());
    healthChecks.stop();
    vertx.cancelTimer(outlierSweeps);
    vertx.cancelTimer(stallWatch);
    return drained
        .transform(done -> {
          control.stopApi();
          return versions.close().recover(failed -> {
            LOG.warn("closing the store failed: {}", failed.getMessage());
            return Future.succeededFuture();
          });
        })
        .compose(storeClosed -> vertx.close())
        .onComplete(closed -> LOG.info("stopped"));
  }

  private JsonObject healthDetails() {
    return new JsonObject()
        .put("version", BuildInfo.version())
        .put("configVersion", running.version())
        .put("uptimeSeconds", (clock.nanoTime() - startNanos) / 1_000_000_000L)
        .put("listeners", new JsonObject()
            .put("data", readiness.isReady() ? running.current().listeners().data().host() + ":" + dataPort : null)
            .put("control", running.current().listeners().control().host() + ":" + controlPort));
  }
}
