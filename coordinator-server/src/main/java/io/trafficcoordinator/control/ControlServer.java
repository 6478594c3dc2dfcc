package io.trafficcoordinator.control;

import io.trafficcoordinator.config.ListenerConfig;
import io.trafficcoordinator.health.Readiness;
import io.trafficcoordinator.http.RequestIds;
import io.trafficcoordinator.telemetry.BuildInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.function.Supplier;

/**
 * The control listener: health for orchestrators, Prometheus metrics and the master-coordination
 * API ({@link ControlApi}). Every answer carries an {@code X-Request-Id}; errors are problem+json.
 */
public final class ControlServer {

  public static final String API_BASE = "/api/v1/master-coordination";

  private final Vertx vertx;
  private final Supplier<String> scrape;
  private final Readiness readiness;
  private final Supplier<JsonObject> healthDetails;
  private final ControlApi api;
  private HttpServer server;
  private Router router;

  /** Swagger UI's files, from its WebJar. */
  private static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/" + BuildInfo.swaggerUiVersion();
  /** Points Swagger UI at our document instead of the petstore. */
  private static final String SWAGGER_INITIALIZER = """
      window.onload = function() {
        window.ui = SwaggerUIBundle({
          url: "/openapi.yaml",
          dom_id: '#swagger-ui',
          deepLinking: true,
          presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
          plugins: [SwaggerUIBundle.plugins.DownloadUrl],
          layout: "StandaloneLayout"
        });
      };
      """;

  /**
   * @param scrape the Prometheus text of every meter (walks them all: called on a worker)
   * @param api the master-coordination API, or null for health and metrics only
   */
  public ControlServer(Vertx vertx, Supplier<String> scrape, Readiness readiness, Supplier<JsonObject> healthDetails,
      ControlApi api) {
    this.vertx = vertx;
    this.scrape = scrape;
    this.readiness = readiness;
    this.healthDetails = healthDetails;
    this.api = api;
  }

  /** Loads the API's OpenAPI document, then binds the listener. */
  public Future<HttpServer> listen(ListenerConfig listener) {
    return ApiContract.load(vertx).compose(contract -> bind(listener, contract));
  }

  private Future<HttpServer> bind(ListenerConfig listener, ApiContract contract) {
    Router router = Router.router(vertx);
    this.router = router;
    router.route().handler(this::tagRequest);
    router.get("/metrics").handler(this::metrics);
    router.get(API_BASE + "/health").handler(contract.validate("health", null)).handler(this::health);
    router.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("content-type", "application/yaml")
        .end(contract.document()));
    router.get("/docs").handler(ctx -> {
      // The route matches "/docs/" too; only the bare path is sent on to the directory.
      if (ctx.request().path().equals("/docs")) {
        ctx.redirect("/docs/");
      } else {
        ctx.next();
      }
    });
    router.get("/docs/swagger-initializer.js").handler(ctx -> ctx.response()
        .putHeader("content-type", "application/javascript").end(SWAGGER_INITIALIZER));
    router.get("/docs/*").handler(StaticHandler.create(SWAGGER_UI).setCachingEnabled(true).setDirectoryListing(false));
    if (api != null) {
      api.mount(router, contract);
    }
    router.route().failureHandler(ctx -> {
      int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      if (status >= 500) {
        ConfigApi.internalError(ctx, "the request could not be handled", ctx.failure());
      } else {
        ControlProblems.send(ctx, status, status == 413 ? "body-too-large" : "bad-request", ControlProblems.title(status),
            status == 413 ? "the body exceeds " + ControlApi.MAX_BODY_BYTES + " bytes" : ControlProblems.title(status));
      }
    });
    router.route().last().handler(ctx -> ControlProblems.send(ctx, 404, "not-found", "Not found",
        "no control endpoint at " + ctx.request().method() + " " + ctx.request().path()));
    server = vertx.createHttpServer(io.trafficcoordinator.http.TlsOptions.server(
            new HttpServerOptions().setHost(listener.host()).setPort(listener.port()), listener.tls()))
        .requestHandler(router);
    return server.listen();
  }

  /** The routes of the master-coordination API as "METHOD path", for the test that holds them to the document. */
  public java.util.Set<String> apiRoutes() {
    java.util.Set<String> routes = new java.util.TreeSet<>();
    for (io.vertx.ext.web.Route route : router.getRoutes()) {
      if (route.getPath() != null && route.getPath().startsWith(API_BASE) && route.methods() != null) {
        route.methods().forEach(method -> routes.add(method.name() + " " + route.getPath()));
      }
    }
    return routes;
  }

  public int actualPort() {
    return server.actualPort();
  }

  public Future<Void> close() {
    stopApi();
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** Checks the API's tokens with {@code next} from now on (keys reloaded); no-op without an API. */
  public void useVerifier(io.trafficcoordinator.security.TokenVerifier next) {
    if (api != null) {
      api.useVerifier(next);
    }
  }

  /** Stops the API's timers and writes its pending audit entries; health and metrics keep answering. */
  public void stopApi() {
    if (api != null) {
      api.close();
    }
  }

  private void tagRequest(RoutingContext ctx) {
    String requestId = RequestIds.acceptOrGenerate(ctx.request().getHeader(RequestIds.HEADER));
    ctx.put(RequestIds.HEADER, requestId);
    ctx.response().putHeader(RequestIds.HEADER, requestId);
    ctx.next();
  }

  private void metrics(RoutingContext ctx) {
    // A scrape walks every meter: done on a worker so an event loop never waits on it.
    vertx.executeBlocking(scrape::get, false).onComplete(scraped -> {
      if (scraped.succeeded()) {
        ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(scraped.result());
      } else {
        ControlProblems.send(ctx, 500, "internal", "Metrics unavailable", scraped.cause().getMessage());
      }
    });
  }

  /**
   * {@code GET /health}: 200 with {"status":"UP"} when ready, 503 while starting or draining;
   * {@code ?probe=liveness} answers 200 as long as the process runs.
   */
  private void health(RoutingContext ctx) {
    boolean liveness = "liveness".equals(ctx.request().getParam("probe"));
    JsonObject body = healthDetails.get();
    int status;
    if (liveness) {
      body.put("status", "UP").put("probe", "liveness");
      status = 200;
    } else {
      Readiness.State state = readiness.state();
      body.put("status", state == Readiness.State.READY ? "UP" : state.name()).put("probe", "readiness");
      status = state == Readiness.State.READY ? 200 : 503;
    }
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store").end(body.encode());
  }
}
