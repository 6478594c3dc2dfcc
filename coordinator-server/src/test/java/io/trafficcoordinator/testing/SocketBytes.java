package io.trafficcoordinator.testing;

import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Vert.x metrics SPI that counts the body bytes a coordinator's connections hand to and take from
 * Netty: on its listener (client side of the proxy) and on its upstream client (endpoint side).
 * The difference between what the proxy read on one side and wrote on the other is what it holds
 * in memory, independent of the operating system's socket buffers.
 */
public final class SocketBytes implements VertxMetricsFactory {

  public final AtomicLong readFromClients = new AtomicLong();
  public final AtomicLong writtenToClients = new AtomicLong();
  public final AtomicLong readFromEndpoints = new AtomicLong();
  public final AtomicLong writtenToEndpoints = new AtomicLong();

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    return new VertxMetrics() {
      @Override
      public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions serverOptions, SocketAddress localAddress) {
        return new HttpServerMetrics<Object, Object, Object>() {
          @Override
          public void bytesRead(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
            readFromClients.addAndGet(numberOfBytes);
          }

          @Override
          public void bytesWritten(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
            writtenToClients.addAndGet(numberOfBytes);
          }
        };
      }

      @Override
      public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions clientOptions) {
        return new HttpClientMetrics<Object, Object, Object>() {
          @Override
          public void bytesRead(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
            readFromEndpoints.addAndGet(numberOfBytes);
          }

          @Override
          public void bytesWritten(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
            writtenToEndpoints.addAndGet(numberOfBytes);
          }
        };
      }
    };
  }
}
