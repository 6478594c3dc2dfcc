package io.trafficcoordinator.proxy;

import io.trafficcoordinator.config.ProxyConfig;
import io.trafficcoordinator.http.RequestIds;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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

  public static final String REQUEST_ID = RequestIds.HEADER;
  static final String FORWARDED_FOR = "x-forwarded-for";
  static final String FORWARDED_PROTO = "x-forwarded-proto";
  static final String FORWARDED_HOST = "x-forwarded-host";

  private static final String[] HOP_BY_HOP_NAMES = {
      "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"};

  private ProxyHeaders() {}

  /**
   * Copies {@code from} into a new map without hop-by-hop fields, without the fields named by its
   * Connection header, and without the names in {@code alsoDrop} (lower case).
   */
  public static MultiMap endToEnd(MultiMap from, Set<String> alsoDrop) {
    MultiMap to = HttpHeaders.headers();
    copyEndToEnd(from, to, alsoDrop);
    return to;
  }

  /**
   * A request's end-to-end fields for the endpoint (see {@link #endToEnd}), without
   * {@link #REQUEST_DROPS} and without any field whose name holds {@code _}: a CGI or WSGI backend
   * turns {@code -} and {@code _} alike into {@code _}, so {@code Transfer_Encoding} or
   * {@code X_Auth_Subject} could pass for a field the proxy controls (as NGINX's
   * {@code underscores_in_headers off}). With {@code proxy.headersWithUnderscores: reject} such a
   * request never gets here ({@link RequestHead}).
   */
  static MultiMap forEndpoint(MultiMap request) {
    MultiMap to = HttpHeaders.headers();
    copy(request, to, REQUEST_DROPS, true);
    return to;
  }

  /**
   * Adds {@code from}'s end-to-end fields to {@code to} (see {@link #endToEnd}). One pass, and no
   * allocation per field unless a Connection header names other fields: this runs twice per request.
   */
  public static void copyEndToEnd(MultiMap from, MultiMap to, Set<String> alsoDrop) {
    copy(from, to, alsoDrop, false);
  }

  private static void copy(MultiMap from, MultiMap to, Set<String> alsoDrop, boolean dropUnderscores) {
    Set<String> connectionNamed = connectionTokens(from);
    from.forEach((name, value) -> {
      if (isHopByHop(name) || containsIgnoringCase(alsoDrop, name)
          || (!connectionNamed.isEmpty() && namedAway(connectionNamed, name))
          || (dropUnderscores && name.indexOf('_') >= 0)) {
        return;
      }
      to.add(name, value);
    });
  }

  private static boolean isHopByHop(String name) {
    for (String hop : HOP_BY_HOP_NAMES) {
      if (hop.length() == name.length() && hop.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsIgnoringCase(Set<String> lowerCaseNames, String name) {
    for (String candidate : lowerCaseNames) {
      if (candidate.length() == name.length() && candidate.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** A Connection header may not take a message's framing away: Content-Length stays. */
  private static boolean namedAway(Set<String> connectionNamed, String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return connectionNamed.contains(lower) && !lower.equals("content-length");
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
