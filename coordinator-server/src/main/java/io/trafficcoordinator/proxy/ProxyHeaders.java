package io.trafficcoordinator.proxy;

import io.trafficcoordinator.config.ProxyConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The headers a proxy must not pass on, and the ones it adds.
 *
 * <p>Hop-by-hop fields (RFC 9110 §7.6.1) describe one connection, not the message: Connection,
 * Keep-Alive, Proxy-Connection, TE, Trailer, Transfer-Encoding, Upgrade, and every field the
 * Connection header names. {@code Expect} is also dropped: the coordinator answers
 * {@code 100-continue} itself, as Envoy does.
 */
public final class ProxyHeaders {

  public static final String REQUEST_ID = "x-request-id";
  static final String FORWARDED_FOR = "x-forwarded-for";
  static final String FORWARDED_PROTO = "x-forwarded-proto";
  static final String FORWARDED_HOST = "x-forwarded-host";

  private static final Set<String> HOP_BY_HOP = Set.of(
      "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

  private ProxyHeaders() {}

  /**
   * Copies {@code from} into a new map without hop-by-hop fields, without the fields named by its
   * Connection header, and without the names in {@code alsoDrop} (lower case).
   */
  public static MultiMap endToEnd(MultiMap from, Set<String> alsoDrop) {
    Set<String> connectionNamed = connectionTokens(from);
    MultiMap to = HttpHeaders.headers();
    for (Map.Entry<String, String> header : from) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      // A Connection header may not take a message's framing away: Content-Length stays.
      boolean namedAway = connectionNamed.contains(name) && !name.equals("content-length");
      if (HOP_BY_HOP.contains(name) || alsoDrop.contains(name) || namedAway) {
        continue;
      }
      to.add(header.getKey(), header.getValue());
    }
    return to;
  }

  private static Set<String> connectionTokens(MultiMap headers) {
    List<String> values = headers.getAll("connection");
    if (values.isEmpty()) {
      return Set.of();
    }
    Set<String> tokens = new HashSet<>();
    for (String value : values) {
      for (String token : value.split(",")) {
        String name = token.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty()) {
          tokens.add(name);
        }
      }
    }
    return tokens;
  }

  /**
   * Sets {@code X-Forwarded-For}, {@code -Proto} and {@code -Host} on {@code upstream}. From a
   * trusted proxy the client's values are kept and its address appended; from anyone else they are
   * replaced, so a client cannot forge the address an endpoint sees.
   */
  static void addForwarded(MultiMap upstream, MultiMap client, String clientAddress, String clientHost,
      String scheme, ProxyConfig proxy) {
    boolean trusted = proxy.trusts(clientAddress);
    String priorFor = trusted ? joined(client, FORWARDED_FOR) : null;
    upstream.set(FORWARDED_FOR, priorFor == null ? clientAddress : priorFor + ", " + clientAddress);
    String priorProto = trusted ? client.get(FORWARDED_PROTO) : null;
    upstream.set(FORWARDED_PROTO, priorProto != null ? priorProto : scheme);
    String priorHost = trusted ? client.get(FORWARDED_HOST) : null;
    String forwardedHost = priorHost != null ? priorHost : clientHost;
    if (forwardedHost != null) {
      upstream.set(FORWARDED_HOST, forwardedHost);
    } else {
      upstream.remove(FORWARDED_HOST);
    }
    if (!trusted) {
      upstream.remove("forwarded");
    }
  }

  private static String joined(MultiMap headers, String name) {
    List<String> values = headers.getAll(name);
    return values.isEmpty() ? null : String.join(", ", values);
  }

  /** The lower-case names the proxy drops from requests on top of hop-by-hop ones. */
  static final Set<String> REQUEST_DROPS = Set.of("host", "expect", REQUEST_ID, FORWARDED_FOR, FORWARDED_PROTO, FORWARDED_HOST);

  /** The lower-case names the proxy drops from responses on top of hop-by-hop ones. */
  static final Set<String> RESPONSE_DROPS = Set.of(REQUEST_ID);
}
