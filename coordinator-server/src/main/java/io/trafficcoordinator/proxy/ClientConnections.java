package io.trafficcoordinator.proxy;

import io.netty.channel.Channel;
import io.trafficcoordinator.http.ProblemType;
import io.trafficcoordinator.telemetry.ClientConnectionMetrics;
import io.trafficcoordinator.telemetry.ConnectionErrors;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits client connections: counts the open ones against {@code maxClientConnections} (a
 * connection over the limit is closed at once) and arms the header-read timeout on each.
 */
public final class ClientConnections {

  private static final Logger LOG = LoggerFactory.getLogger(ClientConnections.class);

  private final DataPlane dataPlane;
  private final AtomicInteger open = new AtomicInteger();
  private final ClientConnectionMetrics metrics;
  private volatile boolean warnedNoPipeline;

  ClientConnections(DataPlane dataPlane) {
    this.dataPlane = dataPlane;
    this.metrics = dataPlane.metrics().clientConnections(open::get);
  }

  public int open() {
    return open.get();
  }

  /**
   * Called by Vert.x for each new connection on its event loop, before any byte is read: counts it
   * against the limit and installs the strict decoder and the header-read timeout.
   */
  void admit(HttpConnection connection, HttpServerOptions options) {
    int limit = dataPlane.active().plan().config().limits().maxClientConnections();
    if (open.incrementAndGet() > limit) {
      open.decrementAndGet();
      metrics.refused();
      connection.close();
      return;
    }
    // Without a handler of its own, Vert.x logs every client's reset as an ERROR: counted instead.
    connection.exceptionHandler(failure -> dataPlane.metrics().connectionErrors().failed(ConnectionErrors.Side.CLIENT, failure));
    long timeoutMillis = dataPlane.active().plan().config().limits().headerReadTimeout().toMillis();
    Channel channel = connection instanceof ConnectionBase base ? base.channel() : null;
    // The channel's close, not the connection's close handler: a WebSocket tunnel replaces the
    // connection object on the channel, and the old one's close handler never runs.
    if (channel != null) {
      channel.closeFuture().addListener(closed -> open.decrementAndGet());
      ParkedMessages.releaseOnClose(connection);
    } else {
      connection.closeHandler(closed -> open.decrementAndGet());
    }
    boolean installed = channel != null
        && StrictRequestDecoder.install(channel.pipeline(), options, () -> dataPlane.active().plan().config())
        && HeaderReadTimeout.install(channel.pipeline(), timeoutMillis,
            () -> dataPlane.metrics().countProblem(ProblemType.HEADER_READ_TIMEOUT));
    if (!installed) {
      // Only an HTTP/1.1 pipeline has these handlers; refuse rather than serve without the checks.
      if (!warnedNoPipeline) {
        warnedNoPipeline = true;
        LOG.error("a client connection lacks the HTTP/1.1 pipeline the strict decoder and header-read timeout need;"
            + " such connections are closed");
      }
      connection.close();
    }
  }
}
