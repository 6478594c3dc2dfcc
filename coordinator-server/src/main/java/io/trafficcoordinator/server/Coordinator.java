package io.trafficcoordinator.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trafficcoordinator.config.ConfigBinder;
import io.trafficcoordinator.config.CoordinatorConfig;
import io.trafficcoordinator.config.InvalidConfigException;
import io.trafficcoordinator.config.StoreConfig;
import io.trafficcoordinator.config.LimitsConfig;
import io.trafficcoordinator.config.ListenerConfig;
import io.trafficcoordinator.control.ControlApi;
import io.trafficcoordinator.control.ControlServer;
import io.trafficcoordinator.security.TokenVerifier;
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
import io.trafficcoordinator.store.MemoryStore;
import io.trafficcoordinator.store.SqliteStore;
import io.trafficcoordinator.store.Store;
import io.trafficcoordinator.store.StoreException;
import io.trafficcoordinator.telemetry.AccessLog;
import io.trafficcoordinator.telemetry.ProxyMetrics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running coordinator: Vert.x, the data listener (one proxy verticle per event loop), the
 * control listener, and the configuration currently applied.
 *
 * <p>Configuration changes are serialised by {@link #apply}: each valid one becomes the next version
 * and is published as a new plan in one atomic swap; requests in flight finish on the plan they
 * started with.
 */
public final class Coordinator {

  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

  private final CoordinatorOptions options;
  private final Vertx vertx;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ProxyMetrics metrics;
  private final Readiness readiness = new Readiness();
  private final TrafficPlanBuilder planBuilder;
  private final AtomicLong version = new AtomicLong();
  private final Counter reloadsApplied;
  private final Counter reloadsRefused;
  private final long startNanos;
  private DataPlane dataPlane;
  private ActiveHealthChecks healthChecks;
  private long outlierSweeps;
  private final List<ProxyVerticle> proxies = new ArrayList<>();
  private ControlServer control;
  private VersionedConfig versions;
  private TokenVerifier tokens;
  private volatile CoordinatorConfig current;
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
    this.metrics = new ProxyMetrics(registry, options.balancing().clock());
    this.planBuilder = new TrafficPlanBuilder(options.balancing().withEvents(new EndpointEvents(vertx, registry)),
        StatsSettings.DEFAULT);
    this.reloadsApplied = Counter.builder("coordinator_config_changes").tag("result", "applied").register(registry);
    this.reloadsRefused = Counter.builder("coordinator_config_changes").tag("result", "refused").register(registry);
    Gauge.builder("coordinator_config_version", version, AtomicLong::get).register(registry);
    this.startNanos = System.nanoTime();
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
          Future<Void> storeClosed = coordinator.versions == null ? Future.succeededFuture() : coordinator.versions.close();
          storeClosed.onComplete(closed -> coordinator.vertx.close());
          return Future.failedFuture(failure);
        })
        .map(started -> coordinator);
  }

  private Future<CoordinatorConfig> openStore(Object fileTree) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("coordinator-store", 1);
    return worker.executeBlocking(() -> {
      CoordinatorConfig fromFile = ConfigBinder.bind(fileTree);
      List<io.trafficcoordinator.config.ConfigProblem> missing = new ArrayList<>(ConfigFiles.listenerProblems(fromFile));
      missing.addAll(ConfigFiles.upstreamProblems(fromFile));
      if (!missing.isEmpty()) {
        throw new InvalidConfigException(missing);
      }
      try {
        tokens = TokenVerifier.create(vertx, fromFile.security());
      } catch (java.io.IOException | RuntimeException e) {
        throw new StoreException("the control API cannot check tokens: " + e.getMessage(), e);
      }
      StoreConfig settings = fromFile.store();
      Store store = settings.inMemory() ? new MemoryStore() : SqliteStore.open(Path.of(settings.path()));
      try {
        VersionedConfig.Current first = VersionedConfig.load(store, fileTree, Clock.systemUTC());
        versions = new VersionedConfig(store, worker, ConfigTree.bootstrap(fileTree), Clock.systemUTC(), first,
            this::applyVersion);
        version.set(first.version() - 1);
        return first.config();
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

  private Future<Void> startListeners(CoordinatorConfig config) {
    current = config;
    TrafficPlan plan = planBuilder.build(version.incrementAndGet(), config);
    metrics.onPlan(plan);
    UpstreamClient upstream = new UpstreamClient(vertx, config.limits(), config.proxy().upstreamTls());
    dataPlane = new DataPlane(vertx, new ActivePlan(plan, upstream, new AccessLog(config.proxy().accessLog())),
        metrics, options.balancing().clock());
    healthChecks = new ActiveHealthChecks(vertx, () -> dataPlane.active().plan(), options.balancing().clock(),
        options.balancing().rngSource().next(), registry, config.proxy().upstreamTls());
    healthChecks.onPlan(plan);
    // The interval detectors of outlier ejection: each service sweeps when its own interval is due.
    outlierSweeps = vertx.setPeriodic(1000, tick -> dataPlane.active().plan().services().values()
        .forEach(service -> service.balancer().sweepOutliers()));
    ControlApi api = new ControlApi(vertx, tokens, versions, () -> dataPlane.active().plan(), options.balancing().clock(),
        startNanos, config.store().auditRetention(), config.controlApi());
    control = new ControlServer(vertx, registry, readiness, this::healthDetails, api);
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
          readiness.ready();
          LOG.info("ready: data listener on {}:{}, control listener on {}:{}, configuration version {}",
              dataListener.host(), dataPort, controlListener.host(), controlPort, version.get());
          return null;
        });
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

  /**
   * Applies a validated configuration as the next version. Listener addresses, the header size
   * limit and the client idle timeout are fixed when the listeners start: a change to them is
   * reported and waits for a restart. A change to upstream limits builds a new connection pool;
   * the old one lets its requests finish.
   *
   * @return what the change did, for the log and the caller
   */
  public synchronized ConfigChange apply(CoordinatorConfig next) {
    return applyVersion(next, version.get() + 1);
  }

  /**
   * Applies {@code next} as version {@code number} (the store's): what {@link VersionedConfig}
   * calls once the version is stored.
   */
  synchronized ConfigChange applyVersion(CoordinatorConfig next, long number) {
    List<String> deferred = new ArrayList<>();
    CoordinatorConfig effective = ConfigChanges.keepRestartOnlySettings(current, next, deferred);
    TrafficPlan plan = planBuilder.build(number, effective);
    version.set(number);
    metrics.onPlan(plan);
    ActivePlan previous = dataPlane.active();
    UpstreamClient upstream = previous.upstream();
    boolean newPool = !ConfigChanges.sameUpstreamLimits(current.limits(), effective.limits())
        || !current.proxy().upstreamTls().equals(effective.proxy().upstreamTls());
    if (newPool) {
      upstream = new UpstreamClient(vertx, effective.limits(), effective.proxy().upstreamTls());
    }
    dataPlane.publish(new ActivePlan(plan, upstream, new AccessLog(effective.proxy().accessLog())));
    // A check verdict that flipped while the plan was being built refreshed the old plan's
    // balancers; the new ones read every verdict again now that they are the ones checks refresh.
    plan.services().values().forEach(service -> service.balancer().refresh());
    healthChecks.onPlan(plan);
    if (newPool) {
      previous.upstream().shutdown(ConfigChanges.drainMillis(current));
    }
    current = effective;
    reloadsApplied.increment();
    deferred.forEach(note -> LOG.warn("configuration version {}: {}", number, note));
    return new ConfigChange(plan.version(), deferred);
  }

  /**
   * Reloads the control API's keys from the file's {@code security} section when it changed (key
   * rotation without a restart): the new keys are read and checked first, and only then do tokens
   * get checked against them; if they cannot be used, the old keys stay and the error is thrown.
   * Blocking (reads key files).
   *
   * @return whether the keys changed
   */
  public synchronized boolean reloadSecurity(Object fileTree) throws InvalidConfigException, java.io.IOException {
    CoordinatorConfig fromFile = ConfigBinder.bind(fileTree);
    if (fromFile.security().equals(current.security())) {
      return false;
    }
    TokenVerifier next = TokenVerifier.create(vertx, fromFile.security());
    control.useVerifier(next);
    tokens = next;
    versions.replaceSecurity(ConfigTree.bootstrap(fileTree).get("security"));
    current = new CoordinatorConfig(current.listeners(), current.limits(), current.proxy(), current.services(),
        current.routes(), fromFile.security(), current.store(), current.controlApi());
    return true;
  }

  /** Counts a configuration change that was refused (for metrics; the caller reports why). */
  public void refused() {
    reloadsRefused.increment();
  }

  public synchronized CoordinatorConfig currentConfig() {
    return current;
  }

  public long configVersion() {
    return version.get();
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
   * Drains and stops: health turns 503 at once (load balancers stop sending), the data listener
   * stops accepting, idle client connections are closed, requests in flight get up to
   * {@code limits.drainTimeout} to finish (each connection is closed once its exchange is done),
   * then what is left is closed and Vert.x stops. The control listener answers until the end.
   */
  public synchronized Future<Void> stop() {
    readiness.draining();
    healthChecks.stop();
    vertx.cancelTimer(outlierSweeps);
    Duration grace = current.limits().drainTimeout();
    long started = options.balancing().clock().nanoTime();
    int open = dataPlane.connections().open();
    LOG.info("draining: health answers 503, no new connections, {} client connection(s) open, up to {} s for "
        + "requests in flight", open, grace.toSeconds());
    List<Future<Void>> shutdowns = new ArrayList<>();
    synchronized (proxies) {
      proxies.forEach(proxy -> shutdowns.add(proxy.shutdown(grace)));
    }
    return Future.join(shutdowns)
        .transform(drained -> {
          LOG.info("drained in {} ms; {} client connection(s) still open are closed now",
              (options.balancing().clock().nanoTime() - started) / 1_000_000, dataPlane.connections().open());
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
        .put("configVersion", version.get())
        .put("uptimeSeconds", (System.nanoTime() - startNanos) / 1_000_000_000L)
        .put("listeners", new JsonObject()
            .put("data", readiness.isReady() ? current.listeners().data().host() + ":" + dataPort : null)
            .put("control", current.listeners().control().host() + ":" + controlPort));
  }
}
