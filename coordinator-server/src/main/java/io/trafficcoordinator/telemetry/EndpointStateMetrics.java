package io.trafficcoordinator.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Endpoint state changes: outlier ejections and their ends, stalls, circuit breaker transitions,
 * and the verdicts of active health checks.
 */
public final class EndpointStateMetrics {

  private final Counter ejected;
  private final Counter restored;
  private final Counter circuitOpened;
  private final Counter circuitHalfOpen;
  private final Counter circuitClosed;
  private final Counter wentDown;
  private final Counter cameBack;
  private final Counter stalled;
  private final Counter stallEnded;

  public EndpointStateMetrics(MeterRegistry registry) {
    this.ejected = Counter.builder("coordinator_outlier_ejections").tag("event", "ejected")
        .description("Passive outlier ejections of endpoints, and their ends").register(registry);
    this.restored = Counter.builder("coordinator_outlier_ejections").tag("event", "restored").register(registry);
    this.circuitOpened = circuit(registry, "open");
    this.circuitHalfOpen = circuit(registry, "half-open");
    this.circuitClosed = circuit(registry, "closed");
    this.wentDown = Counter.builder("coordinator_health_transitions").tag("to", "unhealthy")
        .description("Endpoints taken out or brought back by active health checks").register(registry);
    this.cameBack = Counter.builder("coordinator_health_transitions").tag("to", "healthy").register(registry);
    this.stalled = Counter.builder("coordinator_endpoint_stalls").tag("event", "stalled")
        .description("Endpoints found silent while their peers answer (left out of the pick), and their returns")
        .register(registry);
    this.stallEnded = Counter.builder("coordinator_endpoint_stalls").tag("event", "ended").register(registry);
  }

  public void stalled() {
    stalled.increment();
  }

  public void stallEnded() {
    stallEnded.increment();
  }

  private static Counter circuit(MeterRegistry registry, String to) {
    return Counter.builder("coordinator_circuit_transitions").tag("to", to)
        .description("Endpoint circuit breaker transitions").register(registry);
  }

  public void ejected() {
    ejected.increment();
  }

  public void restored() {
    restored.increment();
  }

  public void circuitOpened() {
    circuitOpened.increment();
  }

  public void circuitHalfOpen() {
    circuitHalfOpen.increment();
  }

  public void circuitClosed() {
    circuitClosed.increment();
  }

  /** An active health check's verdict on an endpoint flipped. */
  public void healthChanged(boolean healthy) {
    (healthy ? cameBack : wentDown).increment();
  }
}
