package io.trafficcoordinator.config;

import io.trafficcoordinator.net.Cidr;
import java.util.List;

/**
 * How the proxy treats what clients send and what it records.
 *
 * @param trustedProxies clients in these blocks are proxies themselves: their
 *     {@code X-Forwarded-For} is kept and appended to, and their {@code X-Forwarded-Proto} and
 *     {@code X-Forwarded-Host} are passed on. From anyone else these headers are replaced. Empty by
 *     default: trust nobody.
 * @param accessLog one structured log line per request (on by default)
 * @param upstreamTls how {@code https} endpoints are checked and what client certificate they get
 * @param rejectUnderscoreHeaders whether a request with a header name holding {@code _} is refused
 *     (400) instead of having those fields dropped before forwarding (the default, {@code drop})
 */
public record ProxyConfig(List<Cidr> trustedProxies, boolean accessLog, UpstreamTlsConfig upstreamTls,
    boolean rejectUnderscoreHeaders) {

  public static final ProxyConfig DEFAULT = new ProxyConfig(List.of(), true, UpstreamTlsConfig.DEFAULT, false);

  public ProxyConfig(List<Cidr> trustedProxies, boolean accessLog) {
    this(trustedProxies, accessLog, UpstreamTlsConfig.DEFAULT, false);
  }

  public ProxyConfig {
    trustedProxies = List.copyOf(trustedProxies);
  }

  /** Whether a client at this (numeric) address is a trusted proxy; parses it only when any block is configured. */
  public boolean trusts(String clientAddress) {
    if (trustedProxies.isEmpty()) {
      return false;
    }
    byte[] address = Cidr.parseNumericAddress(clientAddress);
    if (address == null) {
      return false;
    }
    for (Cidr block : trustedProxies) {
      if (block.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
