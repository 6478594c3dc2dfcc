package io.trafficcoordinator.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.IntSupplier;

/** Open client connections on the data listener, and those refused at the connection limit. */
public final class ClientConnectionMetrics {

  private final Counter refused;

  public ClientConnectionMetrics(MeterRegistry registry, IntSupplier open) {
    // Held strongly: nothing else keeps the supplier, and a weakly held one reads NaN after a GC.
    Gauge.builder("coordinator_client_connections", open, IntSupplier::getAsInt).strongReference(true)
        .description("Open client connections on the data listener").register(registry);
    this.refused = Counter.builder("coordinator_client_connections_refused")
        .description("Client connections closed at once because maxClientConnections was reached")
        .register(registry);
  }

  public void refused() {
    refused.increment();
  }
}
