package io.trafficcoordinator.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A small backend for the demo: answers every request, after a configurable latency, with a JSON
 * description of itself and of what it received (so that a user sees which endpoint served them
 * and which headers the proxy added). A flaky one answers a share of requests with 503. Listens on
 * loopback, on a given port (or one the OS picks).
 */
public final class SampleEndpoint {

  private final Vertx vertx;
  private final String service;
  private final String name;
  private final String zone;
  private final int latencyMillis;
  private final int jitterMillis;
  private final double errorRate;
  private final int driftMillis;
  private final long startNanos = System.nanoTime();
  private HttpServer server;

  /**
   * @param errorRate the share of requests answered 503, in [0, 1]
   * @param driftMillis extra latency at the top of a one-minute cycle: it rises linearly for 30 s
   *     and falls for 30 s
   */
  public SampleEndpoint(Vertx vertx, String service, String name, String zone, int latencyMillis, int jitterMillis,
      double errorRate, int driftMillis) {
    this.vertx = vertx;
    this.service = service;
    this.name = name;
    this.zone = zone;
    this.latencyMillis = latencyMillis;
    this.jitterMillis = jitterMillis;
    this.errorRate = errorRate;
    this.driftMillis = driftMillis;
  }

  /** Listens on {@code port} of the loopback address (0: any free port). */
  public Future<SampleEndpoint> start(int port) {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)).requestHandler(this::handle);
    return server.listen().map(bound -> this);
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public String name() {
    return name;
  }

  public String zone() {
    return zone;
  }

  public int latencyMillis() {
    return latencyMillis;
  }

  public double errorRate() {
    return errorRate;
  }

  public int driftMillis() {
    return driftMillis;
  }

  private void handle(HttpServerRequest request) {
    long[] received = new long[1];
    request.handler(chunk -> received[0] += chunk.length());
    request.endHandler(end -> {
      int delay = latencyMillis + drift() + (jitterMillis > 0 ? ThreadLocalRandom.current().nextInt(jitterMillis) : 0);
      if (delay <= 0) {
        respond(request, received[0], 0);
      } else {
        vertx.setTimer(delay, fired -> respond(request, received[0], delay));
      }
    });
  }

  /**
   * A flaky endpoint (any error rate) also has a bad ten seconds in every minute, from the 40th to
   * the 50th second after it started, when it fails everything: long enough for its health checks
   * and the passive outlier detection to take it out, and to be seen doing so in the log.
   */
  private boolean inBadSpell() {
    if (errorRate <= 0) {
      return false;
    }
    double second = (System.nanoTime() - startNanos) / 1e9 % 60;
    return second >= 40 && second < 50;
  }

  /** The drift now: a triangle wave of period 60 s between 0 and driftMillis. */
  private int drift() {
    if (driftMillis == 0) {
      return 0;
    }
    double phase = ((System.nanoTime() - startNanos) / 1e9 % 60) / 30;
    return (int) (driftMillis * (phase <= 1 ? phase : 2 - phase));
  }

  private void respond(HttpServerRequest request, long receivedBytes, int delay) {
    if (inBadSpell() || (errorRate > 0 && ThreadLocalRandom.current().nextDouble() < errorRate)) {
      request.response().setStatusCode(503).putHeader("content-type", "text/plain").end(name + " is having a bad moment\n");
      return;
    }
    JsonObject body = new JsonObject()
        .put("service", service)
        .put("endpoint", name)
        .put("zone", zone)
        .put("method", request.method().name())
        .put("path", request.path())
        .put("query", request.query())
        .put("requestId", request.getHeader("x-request-id"))
        .put("forwardedFor", request.getHeader("x-forwarded-for"))
        .put("receivedBytes", receivedBytes)
        .put("latencyMs", delay);
    // What the coordinator verified, on a route that requires a token.
    if (request.getHeader("x-auth-subject") != null) {
      body.put("authSubject", request.getHeader("x-auth-subject")).put("authRoles", request.getHeader("x-auth-roles"));
    }
    request.response().putHeader("content-type", "application/json").end(body.encodePrettily() + "\n");
  }
}
