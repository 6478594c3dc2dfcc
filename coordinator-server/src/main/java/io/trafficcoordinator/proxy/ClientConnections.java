package io.trafficcoordinator.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
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
  private final Counter refused;
  private volatile boolean warnedNoPipeline;

  ClientConnections(DataPlane dataPlane) {
    this.dataPlane = dataPlane;
    Gauge.builder("coordinator_client_connections", open, AtomicInteger::get)
        .description("Open client connections on the data listener").register(dataPlane.metrics().registry());
    this.refused = Counter.builder("coordinator_client_connections_refused")
        .description("Client connections closed at once because maxClientConnections was reached")
        .register(dataPlane.metrics().registry());
  }

  public int open() {
    return open.get();
  }

  /** Called by Vert.x for each new connection on its event loop. */
  void admit(HttpConnection connection) {
    int limit = dataPlane.active().plan().config().limits().maxClientConnections();
    if (open.incrementAndGet() > limit) {
      open.decrementAndGet();
      refused.increment();
      connection.close();
      return;
    }
    connection.closeHandler(closed -> open.decrementAndGet());
    long timeoutMillis = dataPlane.active().plan().config().limits().headerReadTimeout().toMillis();
    Channel channel = connection instanceof ConnectionBase base ? base.channel() : null;
    if (channel == null || !HeaderReadTimeout.install(channel.pipeline(), timeoutMillis,
        () -> dataPlane.metrics().countProblem(ProblemType.HEADER_READ_TIMEOUT))) {
      if (!warnedNoPipeline) {
        warnedNoPipeline = true;
        LOG.warn("cannot install the header-read timeout on this connection type; only the idle timeout applies");
      }
    }
  }
}
