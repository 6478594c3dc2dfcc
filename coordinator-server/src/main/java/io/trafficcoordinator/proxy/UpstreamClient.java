package io.trafficcoordinator.proxy;

import io.trafficcoordinator.config.LimitsConfig;
import io.trafficcoordinator.config.UpstreamTlsConfig;
import io.trafficcoordinator.http.TlsOptions;
import io.trafficcoordinator.telemetry.ConnectionErrors;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * The pooled HTTP/1.1 client that carries requests to endpoints: keep-alive connections, at most
 * {@code maxConnectionsPerEndpoint} per endpoint with a queue of {@code maxPendingPerEndpoint}
 * behind them, idle connections closed after {@code upstreamIdleTimeout}.
 *
 * <p>One client is shared by all event loops so that the per-endpoint limit holds for the whole
 * process, not per loop.
 */
public final class UpstreamClient {

  private final HttpClient client;
  private final HttpClient tunnels;
  private final LimitsConfig limits;

  /** @param errors where failures of endpoint connections that no request handled go */
  public UpstreamClient(Vertx vertx, LimitsConfig limits, UpstreamTlsConfig tls, ConnectionErrors errors) {
    this.limits = limits;
    HttpClientOptions options = TlsOptions.upstream(new HttpClientOptions(), tls)
        .setProtocolVersion(HttpVersion.HTTP_1_1)
        .setKeepAlive(true)
        .setPipelining(false)
        .setTcpNoDelay(true)
        .setDecompressionSupported(false)
        .setVerifyHost(true)
        .setConnectTimeout(toIntMillis(limits.upstreamConnectTimeout().toMillis()))
        .setKeepAliveTimeout(toIntSeconds(limits.upstreamIdleTimeout().toSeconds()))
        .setMaxInitialLineLength(8192)
        .setMaxHeaderSize(64 * 1024)
        .setName("upstream");
    PoolOptions pool = new PoolOptions()
        .setHttp1MaxSize(limits.maxConnectionsPerEndpoint())
        .setMaxWaitQueueSize(limits.maxPendingPerEndpoint())
        .setCleanerPeriod(1000);
    Handler<HttpConnection> onConnect = connection -> {
      // Without a handler of its own, Vert.x logs every reset of an idle pooled connection as an ERROR.
      connection.exceptionHandler(failure -> errors.failed(ConnectionErrors.Side.UPSTREAM, failure));
      ParkedMessages.releaseOnClose(connection);
    };
    this.client = vertx.httpClientBuilder().with(options).with(pool).withConnectHandler(onConnect).build();
    // A WebSocket holds its connection for as long as it lives: tunnels get a client of their own,
    // bounded by the client connection limit, so they can never starve an endpoint's HTTP pool.
    PoolOptions tunnelPool = new PoolOptions()
        .setHttp1MaxSize(limits.maxClientConnections())
        .setMaxWaitQueueSize(limits.maxPendingPerEndpoint());
    this.tunnels = vertx.httpClientBuilder().with(new HttpClientOptions(options).setName("upstream-tunnels"))
        .with(tunnelPool).withConnectHandler(onConnect).build();
  }

  public HttpClient client() {
    return client;
  }

  /** The client for WebSocket upgrades, whose connections become tunnels. */
  public HttpClient tunnels() {
    return tunnels;
  }

  public LimitsConfig limits() {
    return limits;
  }

  /**
   * How long a request may wait for a pooled connection, counting the connect itself: the queue
   * wait plus the connect timeout, so that a connect that hangs fails as a connect failure before
   * the wait runs out.
   */
  public long acquireTimeoutMillis() {
    return 2 * limits.upstreamConnectTimeout().toMillis();
  }

  /** Lets requests in flight finish for up to {@code graceMillis}, then closes every connection. */
  public Future<Void> shutdown(long graceMillis) {
    return Future.join(client.shutdown(graceMillis, TimeUnit.MILLISECONDS), tunnels.shutdown(graceMillis, TimeUnit.MILLISECONDS))
        .mapEmpty();
  }

  private static int toIntMillis(long millis) {
    return (int) Math.min(Integer.MAX_VALUE, millis);
  }

  private static int toIntSeconds(long seconds) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, seconds));
  }
}
