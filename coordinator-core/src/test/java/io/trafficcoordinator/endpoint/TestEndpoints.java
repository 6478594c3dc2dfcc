package io.trafficcoordinator.endpoint;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Builds endpoint snapshots for tests: endpoints named a, b, c... on loopback ports 9001, 9002... */
public final class TestEndpoints {

  private TestEndpoints() {}

  public static Endpoint endpoint(String id, int weight) {
    return endpoint(id, weight, new EndpointStats(StatsSettings.DEFAULT));
  }

  public static Endpoint endpoint(String id, int weight, EndpointStats stats) {
    int port = 9001 + (id.isEmpty() ? 0 : id.charAt(0) - 'a');
    return new Endpoint(id, EndpointAddress.of(URI.create("http://127.0.0.1:" + port)), weight, "", 0, 0.0, stats);
  }

  /** An endpoint with a zone and a cost per request, weight 1. */
  public static Endpoint endpoint(String id, String zone, double cost) {
    int port = 9001 + Math.floorMod(id.hashCode(), 1000);
    return new Endpoint(id, EndpointAddress.of(URI.create("http://127.0.0.1:" + port)), 1, zone, 0, cost,
        new EndpointStats(StatsSettings.DEFAULT));
  }

  /** Records one finished request of {@code rttNanos} on {@code endpoint}, ending at {@code nowNanos}. */
  public static void answered(Endpoint endpoint, long rttNanos, long nowNanos) {
    endpoint.stats().begin();
    endpoint.stats().endSuccess(rttNanos, nowNanos);
  }

  /** {@code n} endpoints a, b, c... of weight 1. */
  public static EndpointSet equal(int n) {
    int[] weights = new int[n];
    java.util.Arrays.fill(weights, 1);
    return weighted(weights);
  }

  /** Endpoints a, b, c... with the given weights. */
  public static EndpointSet weighted(int... weights) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < weights.length; i++) {
      endpoints.add(endpoint(String.valueOf((char) ('a' + i)), weights[i]));
    }
    return new EndpointSet(1, endpoints);
  }
}
