package io.trafficcoordinator.server;

import io.trafficcoordinator.health.Readiness;
import io.trafficcoordinator.proxy.ClientConnections;
import io.trafficcoordinator.proxy.ProxyVerticle;
import io.trafficcoordinator.time.NanoClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graceful drain of the data listener: health turns 503 at once (load balancers in front stop
 * sending), the listener stops accepting, idle client connections are closed, and requests in
 * flight get up to the grace period to finish, each connection closing once its exchange is done.
 * What is still open when the grace period ends is closed. The control listener is not touched.
 */
final class Drain {

  private static final Logger LOG = LoggerFactory.getLogger(Drain.class);

  private final Readiness readiness;
  private final List<ProxyVerticle> proxies;
  private final ClientConnections connections;
  private final NanoClock clock;

  Drain(Readiness readiness, List<ProxyVerticle> proxies, ClientConnections connections, NanoClock clock) {
    this.readiness = readiness;
    this.proxies = proxies;
    this.connections = connections;
    this.clock = clock;
  }

  /** Drains every proxy event loop; completes when all are done or {@code grace} is over. */
  Future<Void> run(Duration grace) {
    readiness.draining();
    long started = clock.nanoTime();
    LOG.info("draining: health answers 503, no new connections, {} client connection(s) open, up to {} s for "
        + "requests in flight", connections.open(), grace.toSeconds());
    List<Future<Void>> shutdowns = new ArrayList<>();
    synchronized (proxies) {
      proxies.forEach(proxy -> shutdowns.add(proxy.shutdown(grace)));
    }
    return Future.join(shutdowns).transform(drained -> {
      LOG.info("drained in {} ms; {} client connection(s) still open are closed now",
          (clock.nanoTime() - started) / 1_000_000, connections.open());
      return Future.succeededFuture();
    });
  }
}
