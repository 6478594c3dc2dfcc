package io.trafficcoordinator.server;

import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.NanoClock;
import io.vertx.core.spi.VertxMetricsFactory;

/**
 * How a coordinator is built, apart from its configuration.
 *
 * @param balancing the clock and random source the strategies use
 * @param proxyEventLoops how many event loops serve the data listener (default: one per core)
 * @param vertxMetrics a Vert.x metrics SPI to plug in (for example to count socket bytes), or null
 */
public record CoordinatorOptions(BalancingContext balancing, int proxyEventLoops, VertxMetricsFactory vertxMetrics) {

  public static CoordinatorOptions defaults() {
    // The production clock and random source: the one place the server picks them.
    return new CoordinatorOptions(new BalancingContext(NanoClock.system(), RngSource.threadLocal()),
        Runtime.getRuntime().availableProcessors(), null);
  }

  public CoordinatorOptions withVertxMetrics(VertxMetricsFactory metrics) {
    return new CoordinatorOptions(balancing, proxyEventLoops, metrics);
  }
}
