package io.trafficcoordinator.control;

import io.trafficcoordinator.config.Secrets;
import io.trafficcoordinator.config.tree.ConfigProblem;
import io.trafficcoordinator.http.RequestIds;
import io.trafficcoordinator.security.Caller;
import io.trafficcoordinator.store.AuditEntry;
import io.trafficcoordinator.store.AuditQuery;
import io.trafficcoordinator.store.ConfigVersion;
import io.trafficcoordinator.versioning.ConfigChangeRequest;
import io.trafficcoordinator.versioning.ConfigRefused;
import io.trafficcoordinator.versioning.ConfigTree;
import io.trafficcoordinator.versioning.VersionedConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The configuration operations of the control API: configure-load-balancing, the current
 * configuration and its history, rollback, and the audit log.
 */
final class ConfigApi {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConfigApi.class);

  private final VersionedConfig versions;
  private final AuditTrail audit;

  ConfigApi(VersionedConfig versions, AuditTrail audit) {
    this.versions = versions;
    this.audit = audit;
  }

  /** {@code POST /configure-load-balancing} (admin). */
  void configureLoadBalancing(RoutingContext ctx) {
    LoadBalancingEdit edit;
    try {
      edit = LoadBalancingEdit.of(jsonBody(ctx));
    } catch (ConfigRefused refused) {
      refuse(ctx, refused, null);
      return;
    }
    change(ctx, edit.service(), edit.expectedVersion(), edit.dryRun(), "api", (current, store) -> edit.applyTo(current));
  }

  /** {@code POST /config/rollback} (admin): {"version": N, "expectedVersion": M?}, itself a new version. */
  void rollback(RoutingContext ctx) {
    JsonObject body;
    try {
      body = jsonBody(ctx);
      List<ConfigProblem> problems = new java.util.ArrayList<>();
      for (String field : body.fieldNames()) {
        if (!java.util.Set.of("version", "expectedVersion", "dryRun").contains(field)) {
          problems.add(new ConfigProblem(field, "unknown field; known: dryRun, expectedVersion, version"));
        }
      }
      if (!(body.getValue("version") instanceof Number n) || n.longValue() < 1) {
        problems.add(new ConfigProblem("version", "is required: the version number to go back to"));
      }
      if (body.containsKey("expectedVersion") && !(body.getValue("expectedVersion") instanceof Number)) {
        problems.add(new ConfigProblem("expectedVersion", "must be a version number"));
      }
      if (body.containsKey("dryRun") && !(body.getValue("dryRun") instanceof Boolean)) {
        problems.add(new ConfigProblem("dryRun", "must be true or false"));
      }
      if (!problems.isEmpty()) {
        throw new ConfigRefused(400, "invalid-request", "the request is invalid (" + problems.size() + " problem"
            + (problems.size() == 1 ? "" : "s") + ")", problems);
      }
    } catch (ConfigRefused refused) {
      refuse(ctx, refused, null);
      return;
    }
    long to = body.getLong("version");
    Long expected = body.getValue("expectedVersion") instanceof Number n ? n.longValue() : null;
    change(ctx, "version " + to, expected, body.getBoolean("dryRun", false), "rollback", (current, store) -> {
      ConfigVersion target = store.version(to).orElseThrow(() ->
          new ConfigRefused(404, "no-such-version", "there is no configuration version " + to));
      return ConfigTree.fromJson(target.document());
    });
  }

  private void change(RoutingContext ctx, String target, Long expectedVersion, boolean dryRun, String source,
      ConfigChangeRequest.Edit edit) {
    Caller caller = ApiAccess.caller(ctx);
    String action = ctx.get(ApiAccess.ACTION);
    versions.change(new ConfigChangeRequest(caller.subject(), caller.role().slug(), source, action, target,
        ApiAccess.client(ctx), ctx.get(RequestIds.HEADER), expectedVersion, dryRun, edit))
        .onSuccess(change -> json(ctx, 200, new JsonObject()
            .put("version", change.version())
            .put("applied", change.applied())
            .put("dryRun", dryRun)
            .put("diff", new JsonArray(List.copyOf(change.patch())))))
        .onFailure(failed -> {
          if (failed instanceof ConfigRefused refused) {
            refuse(ctx, refused, target);
          } else {
            internalError(ctx, "the change could not be made", failed);
          }
        });
  }

  private void refuse(RoutingContext ctx, ConfigRefused refused, String target) {
    Caller caller = ApiAccess.caller(ctx);
    audit.refused(ApiAccess.client(ctx), caller.subject(), caller.role().slug(), ctx.get(ApiAccess.ACTION), target,
        refused.status() == 409 ? "conflict" : "invalid", refused.status(), ctx.get(RequestIds.HEADER),
        refused.getMessage());
    ControlProblems.send(ctx, refused.status(), refused.type(), ControlProblems.title(refused.status()),
        refused.getMessage(), refused.problems());
  }

  /** {@code GET /config} (viewer): the configuration in force, secrets redacted. */
  void current(RoutingContext ctx) {
    VersionedConfig.Current current = versions.current();
    json(ctx, 200, new JsonObject()
        .put("version", current.version())
        .put("configuration", new JsonObject(ConfigTree.toJson(
            Secrets.redact(ConfigTree.whole(versions.bootstrap(), current.traffic()))))));
  }

  /** {@code GET /config/history} (viewer): versions newest first, paged. */
  void history(RoutingContext ctx) {
    int limit;
    Long before;
    try {
      limit = Paging.limit(ctx);
      before = Paging.position(ctx, "v");
    } catch (ConfigRefused refused) {
      ControlProblems.send(ctx, 400, refused.type(), "Bad request", refused.getMessage());
      return;
    }
    versions.read(() -> versions.store().history(before, limit + 1)).onComplete(read -> {
      if (read.failed()) {
        internalError(ctx, "the history could not be read", read.cause());
        return;
      }
      List<ConfigVersion> page = read.result();
      JsonArray items = new JsonArray();
      page.stream().limit(limit).forEach(v -> items.add(new JsonObject().put("version", v.version())
          .put("at", v.at().toString()).put("actor", v.actor()).put("source", v.source()).put("summary", v.summary())));
      JsonObject body = new JsonObject().put("items", items).put("currentVersion", versions.current().version());
      if (page.size() > limit) {
        body.put("nextCursor", Paging.cursor("v", page.get(limit - 1).version()));
      }
      json(ctx, 200, body);
    });
  }

  /** {@code GET /audit} (admin): entries newest first, filtered by actor, action and time, paged. */
  void auditLog(RoutingContext ctx) {
    AuditQuery query;
    int limit;
    try {
      limit = Paging.limit(ctx);
      query = new AuditQuery(ctx.request().getParam("actor"), ctx.request().getParam("action"),
          instant(ctx, "from"), instant(ctx, "to"), Paging.position(ctx, "a"), limit + 1);
    } catch (ConfigRefused refused) {
      ControlProblems.send(ctx, 400, refused.type(), "Bad request", refused.getMessage());
      return;
    }
    audit.flush();
    versions.read(() -> versions.store().audit(query)).onComplete(read -> {
      if (read.failed()) {
        internalError(ctx, "the audit log could not be read", read.cause());
        return;
      }
      List<AuditEntry> page = read.result();
      JsonArray items = new JsonArray();
      page.stream().limit(limit).forEach(e -> items.add(entry(e)));
      JsonObject body = new JsonObject().put("items", items);
      if (page.size() > limit) {
        body.put("nextCursor", Paging.cursor("a", page.get(limit - 1).id()));
      }
      json(ctx, 200, body);
    });
  }

  private static JsonObject entry(AuditEntry e) {
    JsonObject json = new JsonObject().put("id", e.id()).put("at", e.at().toString()).put("actor", e.actor())
        .put("role", e.role()).put("action", e.action()).put("target", e.target()).put("outcome", e.outcome())
        .put("status", e.status()).put("correlationId", e.correlationId()).put("client", e.client())
        .put("count", e.count()).put("detail", e.detail());
    if (e.diff() != null) {
      json.put("diff", new JsonArray(e.diff()));
    }
    return json;
  }

  private static Instant instant(RoutingContext ctx, String name) {
    String text = ctx.request().getParam(name);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new ConfigRefused(400, "invalid-request", name + " must be an ISO-8601 instant such as 2026-11-26T10:00:00Z, got '" + text + "'");
    }
  }

  /** A 500 that says what failed, not how: the cause goes to the log under the correlation id. */
  static void internalError(RoutingContext ctx, String what, Throwable cause) {
    String requestId = ctx.get(RequestIds.HEADER);
    LOG.error("{} (correlation id {})", what, requestId, cause);
    ControlProblems.send(ctx, 500, "internal", "Internal error", what + "; the log has the cause under correlation id " + requestId);
  }

  /** The request's JSON object body; refuses anything else. */
  static JsonObject jsonBody(RoutingContext ctx) {
    String type = ctx.request().getHeader("content-type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new ConfigRefused(415, "unsupported-media-type", "the body must be JSON (Content-Type: application/json)");
    }
    try {
      JsonObject body = ctx.body().buffer() == null ? null : new JsonObject(ctx.body().asString());
      if (body == null) {
        throw new ConfigRefused(400, "invalid-request", "a JSON object body is required");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigRefused(400, "invalid-request", "the body is not a JSON object: " + e.getMessage());
    }
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store").end(body.encode());
  }
}
