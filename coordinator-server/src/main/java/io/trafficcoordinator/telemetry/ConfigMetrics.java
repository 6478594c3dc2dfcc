package io.trafficcoordinator.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.LongSupplier;

/** Configuration changes applied and refused, and the version in force. */
public final class ConfigMetrics {

  private final MeterRegistry registry;
  private final Counter applied;
  private final Counter refused;

  public ConfigMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.applied = Counter.builder("coordinator_config_changes").tag("result", "applied").register(registry);
    this.refused = Counter.builder("coordinator_config_changes").tag("result", "refused").register(registry);
  }

  /** Reports {@code version} as {@code coordinator_config_version}. */
  public void versionGauge(LongSupplier version) {
    // Held strongly: the supplier is a lambda nothing else keeps, and a weakly held one reads NaN after a GC.
    Gauge.builder("coordinator_config_version", version, LongSupplier::getAsLong).strongReference(true)
        .register(registry);
  }

  public void applied() {
    applied.increment();
  }

  public void refused() {
    refused.increment();
  }
}
