package io.trafficcoordinator.balance.zone;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The configured latency between zones, which orders where a zone's excess traffic goes. A pair
 * given one way holds both ways; a pair not given counts as farther than every given one, and ties
 * go by zone name so the order is stable.
 */
public record ZoneLatencies(List<Link> links) {

  /** The latency between two zones. */
  public record Link(String from, String to, Duration latency) {}

  public static final ZoneLatencies NONE = new ZoneLatencies(List.of());

  public ZoneLatencies {
    links = List.copyOf(links);
  }

  /** For each of {@code zones}, the indexes of the other zones, nearest first. */
  public int[][] spillOrder(List<String> zones) {
    Map<String, Long> nanos = new HashMap<>();
    for (Link link : links) {
      nanos.putIfAbsent(link.from + "\n" + link.to, link.latency.toNanos());
    }
    for (Link link : links) {
      nanos.putIfAbsent(link.to + "\n" + link.from, link.latency.toNanos());
    }
    int[][] order = new int[zones.size()][];
    for (int z = 0; z < zones.size(); z++) {
      String from = zones.get(z);
      List<Integer> others = new ArrayList<>();
      for (int y = 0; y < zones.size(); y++) {
        if (y != z) {
          others.add(y);
        }
      }
      others.sort(Comparator.<Integer>comparingLong(y -> nanos.getOrDefault(from + "\n" + zones.get(y), Long.MAX_VALUE))
          .thenComparing(zones::get));
      order[z] = others.stream().mapToInt(Integer::intValue).toArray();
    }
    return order;
  }
}
