package io.trafficcoordinator.proxy;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.trafficcoordinator.balance.ClientZones;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.http.ProblemType;
import io.trafficcoordinator.http.RequestIds;
import io.trafficcoordinator.net.PathNormalizer;
import io.trafficcoordinator.plan.ServicePlan;
import io.trafficcoordinator.plan.TrafficPlan;
import io.trafficcoordinator.route.Route;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * The data plane's request handler: checks framing and path, finds the route, asks the service's
 * picker for an endpoint and hands the request to an {@link Exchange}. Everything refused here is
 * refused before a byte reaches an endpoint.
 */
public final class ProxyHandler implements Handler<HttpServerRequest> {

  private final DataPlane dataPlane;

  public ProxyHandler(DataPlane dataPlane) {
    this.dataPlane = dataPlane;
  }

  @Override
  public void handle(HttpServerRequest request) {
    // Nothing of the body is read until an endpoint is ready for it.
    request.pause();
    String requestId = RequestIds.acceptOrGenerate(request.getHeader(ProxyHeaders.REQUEST_ID));
    RequestFraming.Verdict framing = RequestFraming.check(request.headers());
    boolean hasBody = framing.chunked() || framing.contentLength() != 0;
    ExchangeScope scope = new ExchangeScope(dataPlane, request, requestId, hasBody);
    if (framing.problem() != null) {
      refuse(scope, framing.problem(), framing.detail(), true);
      return;
    }
    String path = PathNormalizer.normalize(request.path());
    if (path == null) {
      refuse(scope, ProblemType.BAD_PATH, "the path is malformed or climbs above the root", hasBody);
      return;
    }
    TrafficPlan plan = scope.active().plan();
    Route route = plan.routes().match(request.method().name(), request.getHeader("host"), path);
    for (String identity : plan.routes().identityHeaders()) {
      request.headers().remove(identity);
    }
    if (route == null) {
      refuse(scope, ProblemType.NO_ROUTE, "no route matches " + request.method() + " " + path, hasBody);
      return;
    }
    if (framing.contentLength() > scope.limits().maxBodyBytes()) {
      refuse(scope, ProblemType.BODY_TOO_LARGE, "the request body of " + framing.contentLength()
          + " bytes exceeds the limit of " + scope.limits().maxBodyBytes() + " bytes", true);
      return;
    }
    if (scope.isWebSocketUpgrade() && hasBody) {
      refuse(scope, ProblemType.MALFORMED_REQUEST, "a WebSocket handshake must not have a body", true);
      return;
    }
    ServicePlan service = plan.service(route.config().service());
    scope.routeTo(route, service);
    // Before the token check: a flood of bad tokens is limited too, and a key read from a header
    // (Authorization, say) is read before the check may strip it.
    if (route.rateLimits() != null && !RouteRateLimit.bySubject(route) && !RouteRateLimit.admit(scope, route, hasBody)) {
      return;
    }
    if (route.config().auth() == null) {
      dispatch(scope, route, service, framing, hasBody, path);
      return;
    }
    // Verification completes on this event loop (the keys are in memory); the request stays paused.
    RouteAuth.check(scope, route, hasBody).onSuccess(verified -> {
      if (verified) {
        dispatch(scope, route, service, framing, hasBody, path);
      }
    });
  }

  /** The request past routing and its token check: rate limit, concurrency limit, an endpoint, the exchange. */
  private void dispatch(ExchangeScope scope, Route route, ServicePlan service, RequestFraming.Verdict framing,
      boolean hasBody, String path) {
    HttpServerRequest request = scope.request();
    if (RouteRateLimit.bySubject(route) && !RouteRateLimit.admit(scope, route, hasBody)) {
      return;
    }
    if (service.limiter() != null && !scope.admit(service.limiter())) {
      refuse(scope, ProblemType.OVERLOADED, "service " + service.name() + " has " + service.limiter().limit()
          + " requests in flight, its current limit; retry shortly", hasBody);
      return;
    }
    RequestContext context = requestContext(request, service);
    Selection selection = service.balancer().pick(context);
    if (selection.isNone()) {
      refuse(scope, ProblemType.NO_ENDPOINT, "service " + service.name() + ": " + selection.reason().description(), hasBody);
      return;
    }
    if (context.clientZone() != null && service.endpoints().byZone().containsKey(context.clientZone())) {
      dataPlane.metrics().routedByZone(service.name(), context.clientZone().equals(selection.endpoint().zone()));
    }
    String query = request.query();
    String upstreamUri = route.rewrite(path) + (query == null ? "" : "?" + query);
    new Exchange(scope, route, context, selection, framing, upstreamUri).start();
  }

  /**
   * What the service's strategy may route on: the caller's zone, read only when the strategy is
   * zone-aware (a header, else the client's address in a configured block); empty otherwise, with
   * no allocation.
   */
  private static RequestContext requestContext(HttpServerRequest request, ServicePlan service) {
    ClientZones zones = service.config().strategy().clientZones();
    if (!zones.isUsed()) {
      return RequestContext.EMPTY;
    }
    String header = zones.header() == null ? null : request.getHeader(zones.header());
    String address = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    String zone = zones.zoneOf(header, address);
    return zone == null ? RequestContext.EMPTY : new RequestContext(zone, 0L);
  }

  /**
   * Answers requests Netty's decoder refused (Vert.x closes the connection afterwards): a request
   * line or header section over its limit, or malformed framing such as differing Content-Length
   * values or whitespace before a header's colon.
   */
  public void handleInvalid(HttpServerRequest request) {
    String requestId = RequestIds.acceptOrGenerate(request.getHeader(ProxyHeaders.REQUEST_ID));
    ExchangeScope scope = new ExchangeScope(dataPlane, request, requestId, true);
    Throwable cause = request.decoderResult().cause();
    if (cause instanceof StrictRequestDecoder.HeadRefused head) {
      refuse(scope, head.problem(), head.getMessage(), true);
    } else if (cause instanceof TooLongHttpLineException) {
      refuse(scope, ProblemType.URI_TOO_LONG, "the request line exceeds 8192 bytes", true);
    } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
      refuse(scope, ProblemType.HEADERS_TOO_LARGE, "the header section exceeds "
          + scope.limits().maxHeaderBytes() + " bytes", true);
    } else {
      refuse(scope, ProblemType.MALFORMED_REQUEST, cause == null ? null : RequestFraming.describeRefusal(cause), true);
    }
  }

  private static void refuse(ExchangeScope scope, ProblemType problem, String detail, boolean close) {
    if (close) {
      Problems.sendAndClose(scope.request(), problem, detail, scope.requestId());
    } else {
      Problems.send(scope.request(), problem, detail, scope.requestId());
    }
    scope.report(problem.status(), problem, 0, 0, null);
  }
}
