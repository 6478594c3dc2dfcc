package io.trafficcoordinator.endpoint;

import java.util.Objects;

/**
 * One instance of a service, as the current configuration describes it, with its live stats.
 *
 * <p>Immutable apart from {@link #stats()}, which is shared by every snapshot that keeps the
 * endpoint. Identity is {@link #id()}: the configured id, or the URL when none is given.
 *
 * @param configuredWeight the static weight from configuration (1..1000); strategies that adapt
 *     weights keep their own effective weight next to it
 * @param zone the locality zone, or "" when none is configured
 * @param tier the priority tier; 0 is preferred
 * @param costPerRequest what one request costs on this endpoint, in the user's unit
 */
public record Endpoint(
    String id,
    EndpointAddress address,
    int configuredWeight,
    String zone,
    int tier,
    double costPerRequest,
    EndpointStats stats) {

  public Endpoint {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(stats, "stats");
    if (configuredWeight < 1) {
      throw new IllegalArgumentException("weight must be at least 1: " + configuredWeight);
    }
  }

  @Override
  public String toString() {
    return id.equals(address.toString()) ? id : id + "(" + address + ")";
  }
}
