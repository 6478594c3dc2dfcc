package io.trafficcoordinator.config;

import io.trafficcoordinator.config.tree.ConfigNode;
import io.trafficcoordinator.config.tree.ConfigObject;
import io.trafficcoordinator.config.tree.ConfigValues;
import io.trafficcoordinator.net.PathNormalizer;
import io.trafficcoordinator.ratelimit.RateLimitConfig;
import io.trafficcoordinator.retry.RetryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and checks {@code routes}: prefixes, hosts, methods, the service each names. */
final class RouteBinder {

  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,20}");
  private static final Pattern HOST =
      Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  private RouteBinder() {}

  static List<RouteConfig> routes(List<ConfigNode> nodes, Set<String> serviceNames, long maxBodyBytes) {
    List<RouteConfig> routes = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (ConfigNode node : nodes) {
      RouteConfig route = route(node.asObject(), serviceNames, maxBodyBytes);
      if (route == null) {
        continue;
      }
      String earlier = seen.putIfAbsent(route.name(), node.path());
      if (earlier != null) {
        node.reading().problem(node.path() + ".name", "duplicate route name '" + route.name() + "' (first at " + earlier + ")");
        continue;
      }
      routes.add(route);
    }
    return routes;
  }

  private static RouteConfig route(ConfigObject node, Set<String> serviceNames, long maxBodyBytes) {
    String prefix = pathPrefix(node.field("pathPrefix"));
    String name = node.string("name", prefix);
    if (name != null && name.isBlank()) {
      node.field("name").problem("must not be empty");
    }
    String host = node.string("host", null);
    if (host != null && !HOST.matcher(host).matches()) {
      node.field("host").problem("not a host name (a wildcard is written *.example.com): '" + host + "'");
      host = null;
    }
    Set<String> methods = new LinkedHashSet<>();
    for (ConfigNode method : node.list("methods")) {
      String text = method.asString(null);
      if (text != null && !METHOD.matcher(text).matches()) {
        method.problem("not an HTTP method (write it in capitals, for example GET): '" + text + "'");
      } else if (text != null) {
        methods.add(text);
      }
    }
    String service = node.requiredString("service");
    if (service != null && !serviceNames.contains(service)) {
      node.field("service").problem("no service is named '" + service + "'"
          + (serviceNames.isEmpty() ? "" : "; services: " + String.join(", ", serviceNames)));
      service = null;
    }
    ConfigNode rewriteNode = node.field("rewritePrefix");
    String rewrite = rewriteNode.isPresent() ? pathPrefix(rewriteNode) : null;
    Duration timeout = node.duration("timeout", RouteConfig.DEFAULT_TIMEOUT, Duration.ofMillis(1), ConfigValues.MAX_TIMEOUT);
    Duration idle = node.duration("idleTimeout", RouteConfig.DEFAULT_IDLE_TIMEOUT, Duration.ofMillis(1), ConfigValues.MAX_TIMEOUT);
    Duration body = node.duration("bodyTimeout", Duration.ZERO, Duration.ZERO, ConfigValues.MAX_TIMEOUT);
    RouteAuthConfig auth = RouteAuthConfig.bind(node.field("auth"));
    RateLimitConfig rateLimit = RateLimitConfig.bind(node.field("rateLimit"));
    if (rateLimit != null && rateLimit.key() == RateLimitConfig.Key.SUBJECT && auth == null) {
      node.field("rateLimit").asObject().field("key").problem("subject needs the route's auth: there is no verified"
          + " subject on an open route");
    }
    RetryConfig retries = RetryConfig.bind(node.field("retries"), timeout, maxBodyBytes);
    AnswerHold answerHold = AnswerHold.bind(node.field("answerHold"));
    node.finish();
    if (prefix == null || service == null || name == null || name.isBlank() || (rewriteNode.isPresent() && rewrite == null)) {
      return null;
    }
    return new RouteConfig(name, prefix, host, methods, service, rewrite, timeout, idle, body, auth, rateLimit, retries, answerHold);
  }

  /** A prefix must be an absolute, already normalised path; a trailing slash is dropped. */
  private static String pathPrefix(ConfigNode node) {
    String text = node.asString(null);
    if (text == null) {
      if (!node.isPresent()) {
        node.problem("is required");
      }
      return null;
    }
    if (!text.startsWith("/")) {
      node.problem("must start with '/': '" + text + "'");
      return null;
    }
    if (text.contains("?") || text.contains("#") || text.contains("//") || text.chars().anyMatch(c -> c <= ' ' || c >= 0x7F)) {
      node.problem("must be a plain path without '?', '#', '//', spaces or control characters: '" + text + "'");
      return null;
    }
    String normalized = PathNormalizer.normalize(text);
    if (normalized == null || !normalized.equals(text)) {
      node.problem("must be written in normal form (no '.' or '..' segments, unreserved characters not percent-encoded): '"
          + text + "'" + (normalized == null ? "" : ", write '" + normalized + "'"));
      return null;
    }
    return text.length() > 1 && text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }
}
