package io.trafficcoordinator.control;

import io.trafficcoordinator.config.ControlApiConfig;
import io.trafficcoordinator.plan.TrafficPlan;
import io.trafficcoordinator.security.Role;
import io.trafficcoordinator.security.TokenVerifier;
import io.trafficcoordinator.time.NanoClock;
import io.trafficcoordinator.versioning.VersionedConfig;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The master-coordination API on the control listener: each operation behind its least role
 * (viewer &lt; operator &lt; admin), JSON in and out, problem+json errors.
 */
public final class ControlApi {

  /** Request bodies of the control API are small JSON documents. */
  static final int MAX_BODY_BYTES = 1 << 20;

  private final Vertx vertx;
  private final ApiAccess access;
  private final AuditTrail audit;
  private final ConfigApi config;
  private final StatusApi status;
  private long flushTimer = -1;
  private long pruneTimer = -1;

  public ControlApi(Vertx vertx, TokenVerifier verifier, VersionedConfig versions, Supplier<TrafficPlan> plan,
      NanoClock clock, long startNanos, Duration auditRetention, ControlApiConfig settings) {
    this.vertx = vertx;
    this.audit = new AuditTrail(versions, Clock.systemUTC(), auditRetention);
    this.access = new ApiAccess(verifier, audit, settings, clock);
    this.config = new ConfigApi(versions, audit);
    this.status = new StatusApi(plan, clock, startNanos);
  }

  /**
   * Adds the operations to {@code router} under {@link ControlServer#API_BASE}, each behind its
   * gate (rate limit, token, role) and then validated against the OpenAPI document, and starts the
   * audit timers.
   */
  void mount(Router router, ApiContract contract) {
    String base = ControlServer.API_BASE;
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
    // Two routes per operation with a body: vertx-web allows no body handler after a plain one on
    // the same route, and the gate must come first (the next route takes over on ctx.next()).
    router.post(base + "/configure-load-balancing").handler(access.require(Role.ADMIN, "configure-load-balancing", true));
    router.post(base + "/configure-load-balancing").handler(body).handler(contract.validate("configureLoadBalancing", audit))
        .handler(config::configureLoadBalancing);
    router.get(base + "/system-status").handler(access.require(Role.VIEWER, "system-status", false))
        .handler(contract.validate("systemStatus", audit)).handler(status::systemStatus);
    router.get(base + "/group-integration-status").handler(access.require(Role.VIEWER, "group-integration-status", false))
        .handler(contract.validate("groupIntegrationStatus", audit)).handler(status::groupIntegrationStatus);
    router.get(base + "/config").handler(access.require(Role.VIEWER, "config", false))
        .handler(contract.validate("getConfig", audit)).handler(config::current);
    router.get(base + "/config/history").handler(access.require(Role.VIEWER, "config-history", false))
        .handler(contract.validate("getConfigHistory", audit)).handler(config::history);
    router.post(base + "/config/rollback").handler(access.require(Role.ADMIN, "config-rollback", true));
    router.post(base + "/config/rollback").handler(body).handler(contract.validate("rollbackConfig", audit))
        .handler(config::rollback);
    router.get(base + "/audit").handler(access.require(Role.ADMIN, "audit", false))
        .handler(contract.validate("getAudit", audit)).handler(config::auditLog);
    flushTimer = vertx.setPeriodic(AuditTrail.FLUSH_EVERY.toMillis(), tick -> audit.flush());
    pruneTimer = vertx.setPeriodic(5_000, Duration.ofHours(1).toMillis(), tick -> audit.prune());
  }

  /** Checks tokens with {@code next} from now on: the keys were reloaded. */
  public void useVerifier(TokenVerifier next) {
    access.useVerifier(next);
  }

  /** Writes what the audit trail holds and stops its timers. */
  void close() {
    access.close();
    vertx.cancelTimer(flushTimer);
    vertx.cancelTimer(pruneTimer);
    audit.flush();
  }
}
