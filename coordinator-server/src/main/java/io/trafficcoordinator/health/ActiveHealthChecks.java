package io.trafficcoordinator.health;

import io.trafficcoordinator.config.HealthCheckConfig;
import io.trafficcoordinator.config.ServiceConfig;
import io.trafficcoordinator.config.UpstreamTlsConfig;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointStats;
import io.trafficcoordinator.http.TlsOptions;
import io.trafficcoordinator.plan.ServicePlan;
import io.trafficcoordinator.plan.TrafficPlan;
import io.trafficcoordinator.random.Rng;
import io.trafficcoordinator.telemetry.EndpointStateMetrics;
import io.trafficcoordinator.time.NanoClock;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the active health checks of every service that configures them: an HTTP GET of the
 * service's check path on each endpoint, every interval with up to 10 % jitter, on a client of its
 * own (a check never waits behind proxied requests, and never takes a slot of the proxy's pools).
 *
 * <p>Each result goes to the endpoint's {@link io.trafficcoordinator.endpoint.ActiveHealth}; when the
 * verdict flips, the transition is logged, counted, published on the event bus address
 * {@link #EVENTS}, and the service's balancer is refreshed so that the endpoint leaves (or rejoins)
 * the set its strategy picks from. A recovered endpoint starts its slow start. Checks are off the
 * request path entirely: a slow or failing check delays nothing but the next check.
 *
 * <p>Not thread-safe for {@link #onPlan} and {@link #stop} (called by one configuration thread);
 * results arrive on event loops and touch only lock-free endpoint state.
 */
public final class ActiveHealthChecks {

  private static final Duration HEALTHY_EDGE_INTERVAL = Duration.ofMillis(250);

  /** Event bus address of health transitions: JSON {type, service, endpoint, healthy, reason}. */
  public static final String EVENTS = "coordinator.events";

  private static final Logger LOG = LoggerFactory.getLogger("health");

  private final Vertx vertx;
  private final Supplier<TrafficPlan> plan;
  private final NanoClock clock;
  private final Rng rng;
  /** Replaced when the endpoints' TLS settings change; checks read it when they start. */
  private volatile HttpClient client;
  private UpstreamTlsConfig tls;
  private final EndpointStateMetrics metrics;
  private volatile long generation;
  private volatile boolean stopped;

  /** @param tls how https endpoints are reached, as for the proxy */
  public ActiveHealthChecks(Vertx vertx, Supplier<TrafficPlan> plan, NanoClock clock, Rng rng, EndpointStateMetrics metrics,
      UpstreamTlsConfig tls) {
    this.vertx = vertx;
    this.plan = plan;
    this.clock = clock;
    this.rng = rng;
    this.tls = tls;
    this.client = client(vertx, tls);
    this.metrics = metrics;
  }

  private static HttpClient client(Vertx vertx, UpstreamTlsConfig tls) {
    return vertx.httpClientBuilder()
        .with(TlsOptions.upstream(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000), tls))
        .with(new PoolOptions().setHttp1MaxSize(1))
        .build();
  }

  /**
   * Checks the endpoints of {@code next}: every check of the previous plan stops at its next turn.
   * When the plan reaches https endpoints with other TLS settings (a new CA, a new client
   * certificate), checks use a new client from now on, as the proxy uses a new pool.
   */
  public synchronized void onPlan(TrafficPlan next) {
    if (stopped) {
      return;
    }
    UpstreamTlsConfig wanted = next.config().proxy().upstreamTls();
    if (!wanted.equals(tls)) {
      HttpClient old = client;
      client = client(vertx, wanted);
      tls = wanted;
      // Checks in flight on the old client finish first: its connections are closed a little later.
      vertx.setTimer(10_000, t -> old.close());
    }
    long current = ++generation;
    for (ServicePlan service : next.services().values()) {
      HealthCheckConfig check = service.config().healthCheck();
      if (check == null) {
        forgetVerdicts(service);
        continue;
      }
      for (Endpoint endpoint : service.endpoints().endpoints()) {
        // A random first offset spreads the checks of a fleet over the interval.
        long first = 1 + rng.nextInt((int) Math.min(Integer.MAX_VALUE, check.interval().toMillis()));
        vertx.setTimer(first, t -> check(current, service.config(), endpoint));
      }
    }
  }

  /**
   * A service without checks (perhaps just turned off by a reload) must not keep endpoints out on
   * the strength of checks nobody runs any more.
   */
  private static void forgetVerdicts(ServicePlan service) {
    boolean changed = false;
    for (Endpoint endpoint : service.endpoints().endpoints()) {
      if (!endpoint.stats().activeHealth().isHealthy()) {
        endpoint.stats().activeHealth().reset();
        changed = true;
      }
    }
    if (changed) {
      service.balancer().refresh();
    }
  }

  /** Stops every check: none is recorded or scheduled after this, and the client is closed. */
  public synchronized void stop() {
    stopped = true;
    generation++;
    client.close();
  }

  private boolean isCurrent(long generationOfCheck) {
    return !stopped && generationOfCheck == generation;
  }

  private void check(long generationOfCheck, ServiceConfig service, Endpoint endpoint) {
    if (!isCurrent(generationOfCheck)) {
      return;
    }
    HealthCheckConfig check = service.healthCheck();
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(endpoint.address().host())
        .setPort(endpoint.address().port())
        .setSsl(endpoint.address().secure())
        .setURI(check.path())
        .putHeader("host", endpoint.address().authority())
        .putHeader("user-agent", "traffic-coordinator-health-check")
        .setConnectTimeout(check.timeout().toMillis());
    long timeoutMillis = check.timeout().toMillis();
    boolean[] passed = new boolean[1];
    client.request(request)
        .compose(sent -> {
          // A deadline for the whole check, answer included: Vert.x's request timeout is an idle
          // timeout, which an endpoint trickling bytes would never trip.
          long deadline = vertx.setTimer(timeoutMillis, t -> sent.reset(0, new TimeoutException(
              "no complete answer within " + timeoutMillis + " ms")));
          return sent.send()
              .compose(response -> {
                // The body is read and dropped, never buffered: only the status matters.
                response.handler(chunk -> { });
                return response.end().map(done -> response.statusCode());
              })
              .onComplete(done -> vertx.cancelTimer(deadline));
        })
        .onComplete(result -> {
          if (!isCurrent(generationOfCheck)) {
            // A check of a replaced plan, or one the drain's closing of the client failed: it says
            // nothing about the endpoint.
            return;
          }
          try {
            passed[0] = result.succeeded() && check.passes(result.result());
            String reason = result.succeeded() ? "status " + result.result() : String.valueOf(result.cause().getMessage());
            record(service, endpoint, passed[0], reason);
          } finally {
            long jittered = (long) (nextInterval(check, endpoint, passed[0]).toMillis() * (0.9 + 0.2 * rng.nextDouble()));
            vertx.setTimer(Math.max(1, jittered), t -> check(generationOfCheck, service, endpoint));
          }
        });
  }

  /**
   * The wait before an endpoint's next check: the short {@code unhealthyInterval} while it is in
   * trouble (unhealthy, ejected, stalled, or its last check failed), so that its return is seen
   * within about a second, and a quarter second once an unhealthy endpoint passes again, so that
   * the further passes it needs come at once; the full interval otherwise.
   */
  private Duration nextInterval(HealthCheckConfig check, Endpoint endpoint, boolean passed) {
    EndpointStats stats = endpoint.stats();
    if (passed && !stats.activeHealth().isHealthy()) {
      // On its way back (Envoy's healthy_edge_interval): the passes it still needs come quickly.
      return HEALTHY_EDGE_INTERVAL.compareTo(check.unhealthyInterval()) < 0 ? HEALTHY_EDGE_INTERVAL
          : check.unhealthyInterval();
    }
    boolean troubled = !passed || !stats.activeHealth().isHealthy() || stats.isEjected(clock.nanoTime())
        || stats.answerWatch().isStalled();
    return troubled ? check.unhealthyInterval() : check.interval();
  }

  private void refreshBalancer(ServiceConfig service) {
    ServicePlan current = plan.get().service(service.name());
    if (current != null) {
      current.balancer().refresh();
    }
  }

  private void record(ServiceConfig service, Endpoint endpoint, boolean passed, String reason) {
    HealthCheckConfig check = service.healthCheck();
    EndpointStats stats = endpoint.stats();
    long now = clock.nanoTime();
    boolean unejected = passed && service.outliers().unejectOnHealthCheck() && stats.isEjected(now);
    if (unejected) {
      // As Envoy's successful_active_health_check_uneject_host: the endpoint answers its checks
      // again, so it need not sit out the rest of its ejection (a restarted one, say).
      stats.endEjection(now);
      LOG.info("endpoint {} of service {} passed its health check: its ejection ends now", endpoint.id(), service.name());
    }
    if (!stats.activeHealth().record(passed, check.healthyThreshold(), check.unhealthyThreshold())) {
      if (unejected) {
        refreshBalancer(service);
      }
      return;
    }
    if (passed) {
      stats.markAvailable(clock.nanoTime());
      metrics.healthChanged(true);
      LOG.info("endpoint {} of service {} is healthy again ({} checks passed in a row); slow start begins",
          endpoint.id(), service.name(), check.healthyThreshold());
    } else {
      metrics.healthChanged(false);
      LOG.warn("endpoint {} of service {} is unhealthy ({} checks failed in a row, last: {}); it gets no traffic",
          endpoint.id(), service.name(), check.unhealthyThreshold(), reason);
    }
    refreshBalancer(service);
    vertx.eventBus().publish(EVENTS, new JsonObject()
        .put("type", "endpoint-health")
        .put("service", service.name())
        .put("endpoint", endpoint.id())
        .put("healthy", passed)
        .put("reason", passed ? "checks passed" : reason));
  }
}
