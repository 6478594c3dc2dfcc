package io.trafficcoordinator.control;

import io.trafficcoordinator.proxy.ProxyHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** RFC 9457 answers on the control listener, with the request's id as {@code correlationId}. */
final class ControlProblems {

  private ControlProblems() {}

  static void send(RoutingContext ctx, int status, String slug, String title, String detail) {
    String requestId = ctx.get(ProxyHeaders.REQUEST_ID);
    JsonObject body = new JsonObject()
        .put("type", "urn:traffic-coordinator:problem:" + slug)
        .put("title", title)
        .put("status", status)
        .put("detail", detail)
        .put("correlationId", requestId);
    ctx.response().setStatusCode(status).putHeader("content-type", "application/problem+json").end(body.encode());
  }
}
