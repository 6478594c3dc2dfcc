package io.trafficcoordinator.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Fetches of the signing keys at {@code security.jwt.jwksUrl}, by outcome. */
public final class KeySetMetrics {

  private final Counter fetched;
  private final Counter failed;

  public KeySetMetrics(MeterRegistry registry) {
    this.fetched = Counter.builder("coordinator_jwks_fetches").tag("result", "ok")
        .description("Fetches of the JWKS at security.jwt.jwksUrl, by outcome").register(registry);
    this.failed = Counter.builder("coordinator_jwks_fetches").tag("result", "failed").register(registry);
  }

  public void fetched(boolean ok) {
    (ok ? fetched : failed).increment();
  }
}
