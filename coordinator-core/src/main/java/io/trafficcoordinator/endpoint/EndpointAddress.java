package io.trafficcoordinator.endpoint;

import java.net.URI;
import java.util.Locale;

/**
 * Where an endpoint listens: scheme, host and port from its configured URL.
 *
 * @param authority {@code host:port} as sent in a Host header when the service does not keep the
 *     client's (IPv6 hosts in brackets)
 */
public record EndpointAddress(boolean secure, String host, int port, String authority) {

  /** Reads an absolute {@code http} or {@code https} URL with no path beyond "/", no query, no user info. */
  public static EndpointAddress of(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("not an absolute http(s) URL");
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      throw new IllegalArgumentException("has no host");
    }
    if (url.getRawUserInfo() != null) {
      throw new IllegalArgumentException("must not carry user info");
    }
    String path = url.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/")) || url.getRawQuery() != null
        || url.getRawFragment() != null) {
      throw new IllegalArgumentException("must not have a path, query or fragment (rewrite paths on the route)");
    }
    boolean secure = scheme.equals("https");
    int port = url.getPort() == -1 ? (secure ? 443 : 80) : url.getPort();
    String host = url.getHost();
    // URI keeps IPv6 literals in brackets; the socket layer wants them bare.
    String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return new EndpointAddress(secure, bareHost, port, host + ":" + port);
  }

  @Override
  public String toString() {
    return (secure ? "https://" : "http://") + authority;
  }
}
