package io.trafficcoordinator.proxy;

import io.trafficcoordinator.config.LimitsConfig;
import io.trafficcoordinator.config.ListenerConfig;
import io.trafficcoordinator.http.TlsOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's share of the data listener. Several instances listen on the same address and
 * Vert.x spreads accepted connections over them, so the proxy uses every core.
 */
public final class ProxyVerticle extends VerticleBase {

  private final DataPlane dataPlane;
  private final ListenerConfig listener;
  private final LimitsConfig limits;
  private HttpServer server;

  public ProxyVerticle(DataPlane dataPlane, ListenerConfig listener, LimitsConfig limits) {
    this.dataPlane = dataPlane;
    this.listener = listener;
    this.limits = limits;
  }

  /** The server options a listener gets from the limits; fixed until restart. */
  static HttpServerOptions serverOptions(ListenerConfig listener, LimitsConfig limits) {
    return TlsOptions.server(new HttpServerOptions()
        .setHost(listener.host())
        .setPort(listener.port())
        .setMaxHeaderSize((int) limits.maxHeaderBytes())
        .setMaxInitialLineLength(8192)
        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, limits.clientIdleTimeout().toMillis()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setTcpNoDelay(true)
        .setHandle100ContinueAutomatically(false)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        .setHttp2ClearTextEnabled(false)
        .setAcceptBacklog(1024), listener.tls());
  }

  @Override
  public Future<?> start() {
    ProxyHandler handler = new ProxyHandler(dataPlane);
    HttpServerOptions options = serverOptions(listener, limits);
    server = vertx.createHttpServer(options)
        .connectionHandler(connection -> dataPlane.connections().admit(connection, options))
        .invalidRequestHandler(handler::handleInvalid)
        .requestHandler(handler);
    return server.listen();
  }

  /**
   * Graceful stop of this event loop's share of the listener: no new connections; a connection
   * with no request in progress is closed now, one with a request in progress once its exchange is
   * done; whatever is still open after {@code grace} is closed.
   */
  public Future<Void> shutdown(Duration grace) {
    return server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The port actually bound (useful when the configured port is 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
