package io.trafficcoordinator.versioning;

import io.trafficcoordinator.config.CoordinatorConfig;
import io.trafficcoordinator.config.SecurityConfig;
import io.trafficcoordinator.health.ActiveHealthChecks;
import io.trafficcoordinator.plan.TrafficPlan;
import io.trafficcoordinator.plan.TrafficPlanBuilder;
import io.trafficcoordinator.proxy.ActivePlan;
import io.trafficcoordinator.proxy.DataPlane;
import io.trafficcoordinator.proxy.UpstreamClient;
import io.trafficcoordinator.telemetry.AccessLog;
import io.trafficcoordinator.telemetry.ConfigMetrics;
import io.trafficcoordinator.telemetry.ProxyMetrics;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration in force on a running coordinator, and how the next one is put in force: a new
 * plan is built, published to the data plane in one atomic swap (requests in flight finish on the
 * plan they started with), its balancers read every health verdict again, and the active checks
 * follow it. Applies are serialised.
 */
public final class RunningConfig {

  private static final Logger LOG = LoggerFactory.getLogger(RunningConfig.class);

  private final Vertx vertx;
  private final TrafficPlanBuilder planBuilder;
  private final ProxyMetrics proxyMetrics;
  private final ConfigMetrics configMetrics;
  private final AtomicLong version = new AtomicLong();
  private DataPlane dataPlane;
  private ActiveHealthChecks healthChecks;
  private volatile CoordinatorConfig current;

  public RunningConfig(Vertx vertx, TrafficPlanBuilder planBuilder, ProxyMetrics proxyMetrics, ConfigMetrics configMetrics) {
    this.vertx = vertx;
    this.planBuilder = planBuilder;
    this.proxyMetrics = proxyMetrics;
    this.configMetrics = configMetrics;
    configMetrics.versionGauge(version::get);
  }

  /** The first plan, built from the configuration the store holds as {@code number}; before any listener starts. */
  public synchronized TrafficPlan first(CoordinatorConfig config, long number) {
    current = config;
    version.set(number);
    TrafficPlan plan = planBuilder.build(number, config);
    proxyMetrics.onPlan(plan);
    return plan;
  }

  /** The data plane and the health checks that later versions are applied to. */
  public synchronized void serve(DataPlane dataPlane, ActiveHealthChecks healthChecks) {
    this.dataPlane = dataPlane;
    this.healthChecks = healthChecks;
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
    return apply(next, version.get() + 1);
  }

  /**
   * Applies {@code next} as version {@code number} (the store's): what {@link VersionedConfig}
   * calls once the version is stored.
   */
  public synchronized ConfigChange apply(CoordinatorConfig next, long number) {
    List<String> deferred = new ArrayList<>();
    CoordinatorConfig effective = ConfigChanges.keepRestartOnlySettings(current, next, deferred);
    TrafficPlan plan = planBuilder.build(number, effective);
    version.set(number);
    proxyMetrics.onPlan(plan);
    ActivePlan previous = dataPlane.active();
    UpstreamClient upstream = previous.upstream();
    boolean newPool = !ConfigChanges.sameUpstreamLimits(current.limits(), effective.limits())
        || !current.proxy().upstreamTls().equals(effective.proxy().upstreamTls());
    if (newPool) {
      upstream = new UpstreamClient(vertx, effective.limits(), effective.proxy().upstreamTls(),
          proxyMetrics.connectionErrors());
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
    configMetrics.applied();
    deferred.forEach(note -> LOG.warn("configuration version {}: {}", number, note));
    return new ConfigChange(plan.version(), deferred);
  }

  /** The control API's keys were reloaded: {@code security} is in force from now on. */
  public synchronized void replaceSecurity(SecurityConfig security) {
    CoordinatorConfig was = current;
    current = new CoordinatorConfig(was.listeners(), was.limits(), was.proxy(), was.services(), was.routes(), security,
        was.store(), was.controlApi());
  }

  /** Counts a configuration change that was refused (for metrics; the caller reports why). */
  public void refused() {
    configMetrics.refused();
  }

  public CoordinatorConfig current() {
    return current;
  }

  public long version() {
    return version.get();
  }
}
