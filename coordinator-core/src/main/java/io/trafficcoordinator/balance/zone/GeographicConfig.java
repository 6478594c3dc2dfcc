package io.trafficcoordinator.balance.zone;

import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.balance.ClientZones;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.balance.StrategyConfig;
import io.trafficcoordinator.config.tree.ConfigNode;
import io.trafficcoordinator.config.tree.ConfigObject;
import io.trafficcoordinator.config.tree.ConfigValues;
import io.trafficcoordinator.net.Cidr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters of {@code geographic-smart}.
 *
 * @param clientZones where the caller's zone comes from: the header {@code zoneHeader} (default
 *     {@code X-Client-Zone}), else {@code zoneCidrs} (a list of {@code {zone, cidrs: [...]}})
 * @param zoneLatencies {@code [{from, to, latency}]}: the order in which a zone's excess spills
 * @param refreshInterval how often demand, health and routing are recomputed (default 1 s)
 */
public record GeographicConfig(ClientZones clientZones, ZoneLatencies zoneLatencies, Duration refreshInterval)
    implements StrategyConfig {

  public static final String DEFAULT_HEADER = "X-Client-Zone";

  public static final GeographicConfig DEFAULT =
      new GeographicConfig(new ClientZones(DEFAULT_HEADER, List.of()), ZoneLatencies.NONE, Duration.ofSeconds(1));

  public static GeographicConfig bind(ConfigObject p) {
    String header = p.string("zoneHeader", DEFAULT_HEADER);
    if (!header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
      p.field("zoneHeader").problem("must be a valid header name");
    }
    List<ClientZones.Block> blocks = new ArrayList<>();
    for (ConfigNode node : p.list("zoneCidrs")) {
      ConfigObject entry = node.asObject();
      String zone = entry.requiredString("zone");
      for (ConfigNode cidrNode : entry.list("cidrs")) {
        String text = cidrNode.asString(null);
        if (text == null) {
          continue;
        }
        try {
          if (zone != null) {
            blocks.add(new ClientZones.Block(Cidr.parse(text), zone));
          }
        } catch (IllegalArgumentException e) {
          cidrNode.problem(e.getMessage());
        }
      }
      entry.finish();
    }
    List<ZoneLatencies.Link> links = new ArrayList<>();
    for (ConfigNode node : p.list("zoneLatencies")) {
      ConfigObject entry = node.asObject();
      String from = entry.requiredString("from");
      String to = entry.requiredString("to");
      Duration latency = entry.duration("latency", Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1));
      entry.finish();
      if (from != null && to != null) {
        links.add(new ZoneLatencies.Link(from, to, latency));
      }
    }
    Duration refresh = p.duration("refreshInterval", DEFAULT.refreshInterval, Duration.ofMillis(10), Duration.ofMinutes(10));
    return new GeographicConfig(new ClientZones(header, blocks), new ZoneLatencies(links), refresh);
  }

  @Override
  public String name() {
    return GeographicStrategy.NAME;
  }

  @Override
  public ClientZones clientZones() {
    return clientZones;
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("zoneHeader", clientZones.header());
    Map<String, List<String>> byZone = new LinkedHashMap<>();
    for (ClientZones.Block block : clientZones.blocks()) {
      byZone.computeIfAbsent(block.zone(), z -> new ArrayList<>()).add(block.cidr().toString());
    }
    map.put("zoneCidrs", byZone.entrySet().stream().map(e -> Map.of("zone", e.getKey(), "cidrs", e.getValue())).toList());
    map.put("zoneLatencies", zoneLatencies.links().stream().map(l -> Map.of(
        "from", l.from(), "to", l.to(), "latency", ConfigValues.formatDuration(l.latency()))).toList());
    map.put("refreshInterval", ConfigValues.formatDuration(refreshInterval));
    return map;
  }

  @Override
  public Strategy create(BalancingContext context) {
    return new GeographicStrategy(this, context.clock(), context.rngSource());
  }
}
