package io.trafficcoordinator.chaos;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback endpoint for chaos runs that answers every request with a 1 KiB body after a few
 * milliseconds, until it is told to break in one of the ways real endpoints break: killed (its
 * listener and connections closed, then refused), hanging (it takes requests and answers none), or
 * cutting its answers (after the head, or halfway through the body). It counts the requests it
 * received, so that a run can tell how many tries reached it while it was broken.
 */
final class FaultyEndpoint {

  /** How the endpoint behaves. */
  enum Fault {
    NONE("none"), KILL("kill"), HANG("hang"), CUT_AFTER_HEAD("cut-after-head"), CUT_MID_BODY("cut-mid-body");

    final String slug;

    Fault(String slug) {
      this.slug = slug;
    }

    static Fault of(String slug) {
      for (Fault fault : values()) {
        if (fault.slug.equals(slug)) {
          return fault;
        }
      }
      throw new IllegalArgumentException("no fault '" + slug + "'; use kill, hang, cut-after-head or cut-mid-body");
    }
  }

  private static final Buffer BODY = Buffer.buffer("x".repeat(1024));

  private final Vertx vertx;
  private final int latencyMillis;
  private final AtomicLong received = new AtomicLong();
  private volatile Fault fault = Fault.NONE;
  private HttpServer server;
  private int port;

  FaultyEndpoint(Vertx vertx, int latencyMillis) {
    this.vertx = vertx;
    this.latencyMillis = latencyMillis;
  }

  Future<Void> start() {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port));
    server.requestHandler(this::handle);
    return server.listen().map(listening -> {
      port = listening.actualPort();
      return null;
    });
  }

  int port() {
    return port;
  }

  long received() {
    return received.get();
  }

  /** Breaks the endpoint in {@code how}; a kill closes its listener and every connection at once. */
  Future<Void> breakDown(Fault how) {
    fault = how;
    return how == Fault.KILL ? server.close() : Future.succeededFuture();
  }

  /** Healthy again; a killed endpoint listens again on its port. */
  Future<Void> recover() {
    Fault was = fault;
    fault = Fault.NONE;
    return was == Fault.KILL ? start() : Future.succeededFuture();
  }

  private void handle(HttpServerRequest request) {
    received.incrementAndGet();
    Fault now = fault;
    if (now == Fault.HANG) {
      return; // read, never answered
    }
    vertx.setTimer(Math.max(1, latencyMillis), t -> answer(request, now));
  }

  private void answer(HttpServerRequest request, Fault now) {
    var response = request.response().putHeader("content-type", "text/plain")
        .putHeader("content-length", Integer.toString(BODY.length()));
    switch (now) {
      case CUT_AFTER_HEAD -> response.writeHead().onComplete(done -> request.connection().close());
      case CUT_MID_BODY -> response.write(BODY.slice(0, BODY.length() / 2)).onComplete(done -> request.connection().close());
      default -> response.end(BODY);
    }
  }
}
