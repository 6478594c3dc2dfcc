package io.trafficcoordinator.bench;

import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointAddress;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.EndpointStats;
import io.trafficcoordinator.endpoint.StatsSettings;
import io.trafficcoordinator.time.NanoClock;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Endpoint snapshots for benchmarks: weights 1..5, three zones, four price bands, and latency
 * estimates and trends already learned (samples spread over the last five seconds).
 */
final class Fleets {

  private Fleets() {}

  static EndpointSet warmed(int size, NanoClock clock) {
    SplittableRandom random = new SplittableRandom(11);
    List<Endpoint> endpoints = new ArrayList<>(size);
    long now = clock.nanoTime();
    for (int i = 0; i < size; i++) {
      EndpointStats stats = new EndpointStats(StatsSettings.DEFAULT);
      for (int sample = 20; sample >= 0; sample--) {
        stats.begin();
        stats.endSuccess(1_000_000L + random.nextLong(4_000_000L), now - sample * 250_000_000L);
      }
      URI url = URI.create("http://10.0." + (i / 250) + "." + (i % 250 + 1) + ":8080");
      endpoints.add(new Endpoint("e" + i, EndpointAddress.of(url), 1 + random.nextInt(5), "zone-" + (i % 3), 0,
          0.0001 * (1 + i % 4), stats));
    }
    return new EndpointSet(1, endpoints);
  }
}
