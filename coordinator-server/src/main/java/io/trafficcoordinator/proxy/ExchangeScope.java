package io.trafficcoordinator.proxy;

import io.trafficcoordinator.config.LimitsConfig;
import io.trafficcoordinator.http.ProblemType;
import io.trafficcoordinator.limit.ServiceLimiter;
import io.trafficcoordinator.plan.ServicePlan;
import io.trafficcoordinator.random.Rng;
import io.trafficcoordinator.route.Route;
import io.trafficcoordinator.security.TokenVerifier;
import io.trafficcoordinator.telemetry.ExchangeSummary;
import io.trafficcoordinator.telemetry.ProxyMetrics;
import io.trafficcoordinator.telemetry.StateChangeLog;
import io.trafficcoordinator.time.NanoClock;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The facts about one client request that everything handling it needs — its id, where it came
 * from, when it started, the plan serving it — and the one place it is reported when it ends.
 */
final class ExchangeScope {

  private final DataPlane dataPlane;
  private final ActivePlan active;
  private final HttpServerRequest request;
  private final String requestId;
  private final long startNanos;
  private final String clientAddress;
  private final boolean hasBody;
  private final boolean expectsContinue;
  private final boolean webSocketUpgrade;
  private Route route;
  private ServicePlan service;
  private ServiceLimiter limiter;
  private int tries;

  ExchangeScope(DataPlane dataPlane, HttpServerRequest request, String requestId, boolean hasBody) {
    this.dataPlane = dataPlane;
    this.active = dataPlane.active();
    this.request = request;
    this.requestId = requestId;
    this.startNanos = dataPlane.clock().nanoTime();
    SocketAddress remote = request.remoteAddress();
    this.clientAddress = remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    this.hasBody = hasBody;
    String expect = request.getHeader("expect");
    this.expectsContinue = expect != null && expect.equalsIgnoreCase("100-continue");
    this.webSocketUpgrade = UpstreamRequest.isWebSocketUpgrade(request);
  }

  void routeTo(Route route, ServicePlan service) {
    this.route = route;
    this.service = service;
    dataPlane.metrics().started(service.name());
  }

  ActivePlan active() {
    return active;
  }

  HttpServerRequest request() {
    return request;
  }

  String requestId() {
    return requestId;
  }

  String clientAddress() {
    return clientAddress;
  }

  boolean hasBody() {
    return hasBody;
  }

  boolean expectsContinue() {
    return expectsContinue;
  }

  /** Whether the client asked to upgrade this request to a WebSocket. */
  boolean isWebSocketUpgrade() {
    return webSocketUpgrade;
  }

  ServicePlan service() {
    return service;
  }

  LimitsConfig limits() {
    return active.plan().config().limits();
  }

  Vertx vertx() {
    return dataPlane.vertx();
  }

  StateChangeLog stateLog() {
    return dataPlane.stateLog();
  }

  TokenVerifier tokens() {
    return dataPlane.tokens();
  }

  NanoClock clock() {
    return dataPlane.clock();
  }

  Rng jitter() {
    return dataPlane.jitter();
  }

  ProxyMetrics metrics() {
    return dataPlane.metrics();
  }

  /** A try of the request starts on an endpoint. */
  void countTry() {
    tries++;
  }

  /** Admits the request under the service's concurrency limit; the report at its end releases it. */
  boolean admit(ServiceLimiter limiter) {
    if (!limiter.tryAcquire()) {
      return false;
    }
    this.limiter = limiter;
    return true;
  }

  /** Reports the request's end to metrics and the access log; called exactly once per request. */
  void report(int status, ProblemType problem, long requestBytes, long responseBytes, String endpointId) {
    if (limiter != null) {
      // Only an answer from the service says how loaded it is: a client that left (499), the
      // proxy's own error (problem) or a retried request (its time includes failed tries and
      // backoff) would teach the limit nothing true.
      limiter.release(dataPlane.clock().nanoTime() - startNanos, problem == null && status != 499 && tries <= 1);
    }
    ExchangeSummary summary = new ExchangeSummary(
        request.method().name(),
        request.path(),
        route == null ? null : route.name(),
        service == null ? null : service.name(),
        endpointId,
        status,
        problem == null ? null : problem.slug(),
        requestBytes,
        responseBytes,
        dataPlane.clock().nanoTime() - startNanos,
        requestId,
        clientAddress,
        tries);
    dataPlane.metrics().finished(summary, problem);
    active.accessLog().record(summary);
  }
}
