package io.trafficcoordinator.lab.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.trafficcoordinator.balance.StrategyConfig;
import io.trafficcoordinator.balance.catalog.StrategyCatalog;
import io.trafficcoordinator.config.tree.ConfigNode;
import io.trafficcoordinator.config.tree.ConfigObject;
import io.trafficcoordinator.config.tree.ConfigProblem;
import io.trafficcoordinator.config.tree.ConfigReading;
import io.trafficcoordinator.config.tree.InvalidConfigException;
import io.trafficcoordinator.lab.scenario.TimedEvent.Action;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a scenario from YAML, reporting every problem with its path the way the coordinator's
 * configuration does (unknown keys included). The file format is described in docs/LAB.md.
 */
public final class ScenarioReader {

  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder().build())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)(us|ms|s|m)");
  private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)%");
  /** The longest time a scenario may name: a day. Keeps virtual-time arithmetic far from overflow. */
  private static final long MAX_NANOS = 86_400_000_000_000L;

  private ScenarioReader() {}

  /** Parses and checks {@code yaml}; every problem found is in the exception. */
  public static Scenario read(String yaml) throws InvalidConfigException {
    Object tree;
    try {
      tree = YAML.readValue(yaml, Object.class);
    } catch (JsonProcessingException e) {
      throw new InvalidConfigException(List.of(new ConfigProblem("", "not valid YAML: " + e.getOriginalMessage())));
    }
    ConfigReading reading = new ConfigReading();
    Scenario scenario = bind(ConfigNode.root(tree, reading).asObject());
    if (!reading.problems().isEmpty()) {
      throw new InvalidConfigException(reading.problems());
    }
    return scenario;
  }

  private static Scenario bind(ConfigObject root) {
    String name = root.requiredString("name");
    String description = root.string("description", "");
    long requests = root.field("requests").asLong(100_000, 100, 100_000_000);
    double warmUp = fraction(root.field("warmUp"), 0.05);
    ConfigObject arrival = root.object("arrival");
    double rate = arrival.number("rate", 100, 0.001, 10_000_000);
    double rampTo = arrival.number("rampTo", rate, 0.001, 10_000_000);
    arrival.finish();
    Map<String, Double> clients = new LinkedHashMap<>();
    for (ConfigNode node : root.list("clients")) {
      ConfigObject client = node.asObject();
      String zone = client.requiredString("zone");
      double share = client.number("share", 1.0, 1e-9, 1e9);
      client.finish();
      if (zone != null) {
        clients.merge(zone, share, Double::sum);
      }
    }
    List<EndpointModel> endpoints = endpoints(root.list("endpoints"));
    Map<String, Map<String, Duration>> network = new LinkedHashMap<>();
    for (ConfigNode node : root.list("network")) {
      ConfigObject link = node.asObject();
      String from = link.requiredString("from");
      String to = link.requiredString("to");
      long rtt = nanos(link.field("latency"), 0L, 0L, 60_000_000_000L);
      link.finish();
      if (from != null && to != null) {
        network.computeIfAbsent(from, z -> new LinkedHashMap<>()).putIfAbsent(to, Duration.ofNanos(rtt));
        network.computeIfAbsent(to, z -> new LinkedHashMap<>()).putIfAbsent(from, Duration.ofNanos(rtt));
      }
    }
    Duration timeout = Duration.ofNanos(nanos(root.field("timeout"), 10_000_000_000L, 1_000_000L, 3_600_000_000_000L));
    Duration failFast = Duration.ofNanos(nanos(root.field("failFast"), 1_000_000L, 0L, 60_000_000_000L));
    Scenario.HealthChecks checks = healthChecks(root.object("healthChecks"));
    double durationNanos = requests / ((rate + rampTo) / 2) * 1e9;
    List<TimedEvent> events = new ArrayList<>();
    for (ConfigNode node : root.list("events")) {
      TimedEvent event = event(node.asObject(), endpoints, durationNanos);
      if (event != null) {
        events.add(event);
      }
    }
    Map<String, StrategyConfig> strategies = strategies(root.field("strategyParameters"));
    root.finish();
    if (endpoints.isEmpty()) {
      root.field("endpoints").problem("at least one endpoint is required");
    }
    return new Scenario(name, description, requests, rate, rampTo, clients, endpoints, events, network, timeout,
        failFast, checks, strategies, warmUp);
  }

  /**
   * Per strategy name, its parameters as the coordinator's configuration would give them, read by
   * the same binders (so a scenario can try exactly the settings a service would use).
   */
  private static Map<String, StrategyConfig> strategies(ConfigNode node) {
    Map<String, StrategyConfig> strategies = new LinkedHashMap<>();
    ConfigObject byName = node.asObject();
    for (String name : StrategyCatalog.names()) {
      ConfigNode parameters = byName.field(name);
      StrategyConfig config = StrategyCatalog.read(parameters.path(), name, parameters.raw(), node.reading());
      if (config != null) {
        strategies.put(name, config);
      }
    }
    byName.finish();
    return strategies;
  }

  private static List<EndpointModel> endpoints(List<ConfigNode> nodes) {
    List<EndpointModel> endpoints = new ArrayList<>();
    for (ConfigNode node : nodes) {
      ConfigObject e = node.asObject();
      String id = e.string("id", null);
      int count = e.integer("count", 1, 1, 10_000);
      String prefix = e.string("idPrefix", id == null ? "e" : id);
      String zone = e.string("zone", "");
      int tier = e.integer("tier", 0, 0, 9);
      int weight = e.integer("weight", 1, 1, 1000);
      double cost = e.number("cost", 0.0, 0.0, 1e9);
      int concurrency = e.integer("concurrency", 1, 1, 100_000);
      ServiceTime serviceTime = serviceTime(e.object("serviceTime"));
      e.finish();
      if (serviceTime == null) {
        continue;
      }
      for (int i = 0; i < count; i++) {
        String endpointId = count == 1 && id != null ? id : prefix + "-" + (endpoints.size() + 1);
        endpoints.add(new EndpointModel(endpointId, zone, tier, weight, cost, concurrency, serviceTime));
      }
    }
    return endpoints;
  }

  private static ServiceTime serviceTime(ConfigObject s) {
    String distribution = s.string("distribution", "exponential");
    ServiceTime result = switch (distribution) {
      case "exponential" -> new ServiceTime.Exponential(nanos(s.field("mean"), 10_000_000L, 1_000L, MAX_NANOS));
      case "constant" -> new ServiceTime.Constant(nanos(s.field("mean"), 10_000_000L, 1_000L, MAX_NANOS));
      case "log-normal" -> new ServiceTime.LogNormal(nanos(s.field("median"), 10_000_000L, 1_000L, MAX_NANOS),
          s.number("sigma", 0.5, 0.0, 5.0));
      case "empirical" -> empirical(s.list("samplesMillis"));
      default -> {
        s.field("distribution").problem("unknown distribution '" + distribution
            + "'; valid: exponential, log-normal, constant, empirical");
        yield null;
      }
    };
    s.finish();
    return result;
  }

  private static ServiceTime empirical(List<ConfigNode> samples) {
    long[] nanos = new long[samples.size()];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = (long) (samples.get(i).asDouble(1.0, 0.001, 3_600_000.0) * 1e6);
    }
    return nanos.length == 0 ? new ServiceTime.Constant(10_000_000L) : new ServiceTime.Empirical(nanos);
  }

  private static Scenario.HealthChecks healthChecks(ConfigObject h) {
    Scenario.HealthChecks checks = new Scenario.HealthChecks(
        h.bool("enabled", true),
        Duration.ofNanos(nanos(h.field("interval"), 1_000_000_000L, 1_000_000L, 3_600_000_000_000L)),
        Duration.ofNanos(nanos(h.field("timeout"), 500_000_000L, 1_000_000L, 3_600_000_000_000L)),
        h.integer("healthyThreshold", 2, 1, 100),
        h.integer("unhealthyThreshold", 2, 1, 100));
    h.finish();
    return checks;
  }

  private static TimedEvent event(ConfigObject e, List<EndpointModel> endpoints, double durationNanos) {
    ConfigNode atNode = e.field("at");
    String atText = atNode.asString(null);
    double at = 0;
    long atNanos = -1;
    if (atText == null) {
      atNode.problem("is required: a share of the run (40%) or a time (30s)");
    } else {
      Matcher percent = PERCENT.matcher(atText.trim());
      if (percent.matches()) {
        at = Double.parseDouble(percent.group(1)) / 100;
        if (at > 1) {
          atNode.problem("falls outside the run");
        }
      } else {
        // A time stays a time: with --requests the run gets longer or shorter, the event does not move.
        atNanos = nanos(atNode, 0L, 0L, MAX_NANOS);
        if (atNanos > durationNanos) {
          atNode.problem("falls outside the run, which lasts " + Math.round(durationNanos / 1e9) + " s");
        }
      }
    }
    String actionText = e.requiredString("action");
    Action action = null;
    if (actionText != null) {
      action = switch (actionText) {
        case "stall" -> Action.STALL;
        case "kill" -> Action.KILL;
        case "slowDown" -> Action.SLOW_DOWN;
        case "recover" -> Action.RECOVER;
        default -> {
          e.field("action").problem("unknown action '" + actionText + "'; valid: stall, kill, slowDown, recover");
          yield null;
        }
      };
    }
    List<String> targets = new ArrayList<>();
    for (ConfigNode id : e.list("endpoints")) {
      String text = id.asString(null);
      if (text != null && endpoints.stream().noneMatch(m -> m.id().equals(text))) {
        id.problem("no endpoint '" + text + "' in this scenario");
      } else if (text != null) {
        targets.add(text);
      }
    }
    String zone = e.string("zone", null);
    if (zone != null) {
      endpoints.stream().filter(m -> m.zone().equals(zone)).forEach(m -> targets.add(m.id()));
    }
    if (targets.isEmpty()) {
      e.problem("names no endpoint: give endpoints: [ids] or zone: name");
    }
    long duration = nanos(e.field("duration"), 100_000_000L, 1_000L, MAX_NANOS);
    double factor = e.number("factor", 2.0, 0.01, 1000.0);
    long every = nanos(e.field("every"), 0L, 0L, MAX_NANOS);
    if (every > 0 && every < 1_000_000L) {
      e.field("every").problem("must be at least 1ms");
    }
    e.finish();
    return action == null ? null : new TimedEvent(at, atNanos, action, targets, duration, factor, every);
  }

  private static double fraction(ConfigNode node, double fallback) {
    String text = node.asString(null);
    if (text == null) {
      return fallback;
    }
    Matcher m = PERCENT.matcher(text.trim());
    if (!m.matches() || Double.parseDouble(m.group(1)) >= 100) {
      node.problem("expected a share of the run below 100%, like 5%");
      return fallback;
    }
    return Double.parseDouble(m.group(1)) / 100;
  }

  /** A time like {@code 250us}, {@code 10ms}, {@code 1.5s}, {@code 2m}, in nanoseconds, within [min, max]. */
  static long nanos(ConfigNode node, long fallback, long min, long max) {
    String text = node.asString(null);
    if (text == null) {
      return fallback;
    }
    Matcher m = TIME.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      node.problem("expected a time like 250us, 10ms, 1.5s or 2m, got '" + text + "'");
      return fallback;
    }
    double value = Double.parseDouble(m.group(1));
    double unit = switch (m.group(2)) {
      case "us" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      default -> 60e9;
    };
    double nanos = value * unit;
    if (nanos < min || nanos > max) {
      node.problem("must be between " + describe(min) + " and " + describe(max) + ", got '" + text + "'");
      return fallback;
    }
    return (long) nanos;
  }

  private static String describe(long nanos) {
    return nanos == 0 ? "0" : nanos < 1_000_000L ? nanos / 1_000 + "us" : nanos < 1_000_000_000L
        ? nanos / 1_000_000 + "ms" : nanos / 1_000_000_000L + "s";
  }
}
