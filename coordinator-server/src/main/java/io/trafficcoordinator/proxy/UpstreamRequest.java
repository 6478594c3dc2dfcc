package io.trafficcoordinator.proxy;

import io.trafficcoordinator.endpoint.EndpointAddress;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.Locale;

/** How a client's request is restated to the chosen endpoint: target, timeouts and headers. */
final class UpstreamRequest {

  private UpstreamRequest() {}

  /**
   * The request to send: the rewritten URI on the endpoint's address, end-to-end headers only, the
   * Host the service wants, the forwarding headers and the request id. A WebSocket upgrade keeps its
   * {@code Upgrade} and {@code Connection} headers, which are otherwise hop-by-hop.
   */
  static RequestOptions options(ExchangeScope scope, EndpointAddress address, String uri) {
    HttpServerRequest request = scope.request();
    MultiMap headers = ProxyHeaders.forEndpoint(request.headers());
    String clientHost = request.getHeader("host");
    boolean keepHost = scope.service().config().preserveHost() && clientHost != null;
    headers.set("host", keepHost ? clientHost : address.authority());
    headers.set(ProxyHeaders.REQUEST_ID, scope.requestId());
    ProxyHeaders.addForwarded(headers, request.headers(), scope.clientAddress(), clientHost,
        request.isSSL() ? "https" : "http", scope.active().plan().config().proxy());
    if (scope.isWebSocketUpgrade()) {
      headers.set("upgrade", "websocket").set("connection", "Upgrade");
    }
    return new RequestOptions()
        .setMethod(request.method())
        .setHost(address.host())
        .setPort(address.port())
        .setSsl(address.secure())
        .setURI(uri)
        .setFollowRedirects(false)
        .setConnectTimeout(scope.active().upstream().acquireTimeoutMillis())
        .setHeaders(headers);
  }

  /**
   * Whether {@code request} asks to become a WebSocket (RFC 6455 §4.1: a GET whose Upgrade names
   * websocket and whose Connection names upgrade). Upgrades to anything else, h2c included, are
   * forwarded as ordinary requests with the upgrade removed.
   */
  static boolean isWebSocketUpgrade(HttpServerRequest request) {
    if (!"GET".equals(request.method().name())) {
      return false;
    }
    String upgrade = request.getHeader("upgrade");
    if (upgrade == null || !containsToken(upgrade, "websocket")) {
      return false;
    }
    for (String connection : request.headers().getAll("connection")) {
      if (containsToken(connection, "upgrade")) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsToken(String value, String token) {
    for (String part : value.split(",")) {
      if (part.trim().toLowerCase(Locale.ROOT).equals(token)) {
        return true;
      }
    }
    return false;
  }
}
