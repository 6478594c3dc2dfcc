package io.trafficcoordinator.endpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable snapshot of a service's endpoints, with the indexes pickers need computed once,
 * when the snapshot is built: endpoints per zone and per priority tier.
 *
 * <p>A new set replaces the old one whole whenever membership, health or weights change; requests
 * already in flight finish on the set they started with.
 */
public final class EndpointSet {

  private final long version;
  private final List<Endpoint> endpoints;
  private final Map<String, List<Endpoint>> byZone;
  private final SortedMap<Integer, List<Endpoint>> byTier;
  private final int serviceSize;

  public EndpointSet(long version, List<Endpoint> endpoints) {
    this(version, endpoints, List.of(), endpoints.size());
  }

  private EndpointSet(long version, List<Endpoint> endpoints, List<String> serviceZones, int serviceSize) {
    this.version = version;
    this.endpoints = List.copyOf(endpoints);
    this.serviceSize = serviceSize;
    Map<String, List<Endpoint>> zones = new LinkedHashMap<>();
    for (String zone : serviceZones) {
      zones.put(zone, new ArrayList<>());
    }
    SortedMap<Integer, List<Endpoint>> tiers = new TreeMap<>();
    for (Endpoint endpoint : this.endpoints) {
      zones.computeIfAbsent(endpoint.zone(), z -> new ArrayList<>()).add(endpoint);
      tiers.computeIfAbsent(endpoint.tier(), t -> new ArrayList<>()).add(endpoint);
    }
    zones.replaceAll((zone, list) -> List.copyOf(list));
    tiers.replaceAll((tier, list) -> List.copyOf(list));
    this.byZone = Collections.unmodifiableMap(zones);
    this.byTier = Collections.unmodifiableSortedMap(tiers);
  }

  /**
   * The endpoints of this set that may take requests now, as a set of its own that still knows the
   * whole service: its zones (a zone whose endpoints are all left out stays in {@link #byZone()} with
   * an empty list) and its size ({@link #serviceSize()}).
   */
  public EndpointSet eligibleView(List<Endpoint> eligible) {
    return new EndpointSet(version, eligible, List.copyOf(byZone.keySet()), serviceSize);
  }

  /** How many endpoints the service has, including those an eligible view leaves out. */
  public int serviceSize() {
    return serviceSize;
  }

  public static EndpointSet empty() {
    return new EndpointSet(0L, List.of());
  }

  /** Increases with every rebuild of the service's endpoints. */
  public long version() {
    return version;
  }

  public List<Endpoint> endpoints() {
    return endpoints;
  }

  public int size() {
    return endpoints.size();
  }

  public boolean isEmpty() {
    return endpoints.isEmpty();
  }

  public Endpoint get(int index) {
    return endpoints.get(index);
  }

  /**
   * Endpoints per zone, in order of first appearance; endpoints with no zone are under "". In an
   * eligible view, every zone of the service, some perhaps with no endpoint.
   */
  public Map<String, List<Endpoint>> byZone() {
    return byZone;
  }

  /** Endpoints per priority tier, lowest (most preferred) tier first. */
  public SortedMap<Integer, List<Endpoint>> byTier() {
    return byTier;
  }
}
