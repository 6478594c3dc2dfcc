package io.trafficcoordinator.control;

import io.trafficcoordinator.config.tree.ConfigProblem;
import io.trafficcoordinator.http.RequestIds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** RFC 9457 answers on the control listener, with the request's id as {@code correlationId}. */
final class ControlProblems {

  private ControlProblems() {}

  static void send(RoutingContext ctx, int status, String slug, String title, String detail) {
    send(ctx, status, slug, title, detail, List.of());
  }

  /** As above; {@code errors} lists every bad field with its path. */
  static void send(RoutingContext ctx, int status, String slug, String title, String detail, List<ConfigProblem> errors) {
    String requestId = ctx.get(RequestIds.HEADER);
    JsonObject body = new JsonObject()
        .put("type", "urn:traffic-coordinator:problem:" + slug)
        .put("title", title)
        .put("status", status)
        .put("detail", detail)
        .put("correlationId", requestId);
    if (!errors.isEmpty()) {
      JsonArray list = new JsonArray();
      errors.forEach(e -> list.add(new JsonObject().put("path", e.path()).put("message", e.message())));
      body.put("errors", list);
    }
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("content-type", "application/problem+json")
          .putHeader("cache-control", "no-store").end(body.encode());
    }
  }

  /** The title of a status, for problems. */
  static String title(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not found";
      case 409 -> "Conflict";
      case 413 -> "Payload too large";
      case 415 -> "Unsupported media type";
      case 429 -> "Too many requests";
      case 503 -> "Service unavailable";
      default -> "Internal error";
    };
  }
}
