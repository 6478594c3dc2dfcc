package io.trafficcoordinator.endpoint;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live stats of one service's endpoints, keyed by endpoint id, kept across configuration
 * changes: a change that keeps an endpoint hands it the same {@link EndpointStats}.
 *
 * <p>Thread-safe. Only the configuration path writes to it (rarely); the request path never
 * looks endpoints up here, it holds the stats through its snapshot.
 */
public final class EndpointStatsRegistry {

  private final StatsSettings settings;
  private final Map<String, EndpointStats> statsById = new ConcurrentHashMap<>();

  public EndpointStatsRegistry(StatsSettings settings) {
    this.settings = settings;
  }

  /** The stats of the endpoint with this id, created empty the first time the id is seen. */
  public EndpointStats statsFor(String endpointId) {
    return statsById.computeIfAbsent(endpointId, id -> new EndpointStats(settings));
  }

  /** Whether stats exist for this id: the endpoint was in an earlier configuration of the service. */
  public boolean contains(String endpointId) {
    return statsById.containsKey(endpointId);
  }

  /** Forgets every endpoint not in {@code keep}; requests in flight on them still hold their stats. */
  public void retainOnly(Collection<String> keep) {
    Set<String> kept = Set.copyOf(keep);
    statsById.keySet().removeIf(id -> !kept.contains(id));
  }

  public int size() {
    return statsById.size();
  }
}
