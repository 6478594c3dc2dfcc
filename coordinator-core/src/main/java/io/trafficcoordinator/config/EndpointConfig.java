package io.trafficcoordinator.config;

import io.trafficcoordinator.endpoint.EndpointAddress;
import java.net.URI;

/**
 * One endpoint of a service as configured.
 *
 * @param id stable identity; defaults to the URL. Live stats follow the id across changes.
 * @param url where the endpoint listens, {@code http://host:port} or {@code https://host:port}
 * @param weight static weight, 1..1000 (default 1)
 * @param zone locality zone, "" when none
 * @param tier priority tier, 0 (default, preferred) to 9
 * @param costPerRequest cost of one request in the user's unit (default 0)
 */
public record EndpointConfig(String id, URI url, EndpointAddress address, int weight, String zone, int tier, double costPerRequest) {}
