package io.trafficcoordinator.proxy;

import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.net.NetSocket;

/**
 * An upgraded connection (a WebSocket, after the endpoint answered 101): raw bytes relayed both
 * ways with back-pressure, until either side closes or fails, which closes the other.
 *
 * <p>The proxy does not look inside the frames; it only counts bytes. Confined to the client
 * connection's event loop.
 */
final class Tunnel {

  /** Told once, when both sides are closed, how many bytes went each way. */
  @FunctionalInterface
  interface Closed {
    void closed(long clientToEndpoint, long endpointToClient);
  }

  private final NetSocket client;
  private final NetSocket endpoint;
  private final Closed onClosed;
  private long up;
  private long down;
  private boolean closed;

  private Tunnel(NetSocket client, NetSocket endpoint, Closed onClosed) {
    this.client = client;
    this.endpoint = endpoint;
    this.onClosed = onClosed;
  }

  /**
   * Completes a WebSocket upgrade the endpoint accepted: answers the client 101 with the endpoint's
   * handshake headers, then relays until either side closes, and reports the exchange then (status
   * 101, bytes each way).
   */
  static void accept(ExchangeScope scope, HttpClientResponse accepted, String endpointId) {
    ResponseHead.switchingProtocols(accepted, scope.request().response(), scope.requestId());
    NetSocket endpointSocket = accepted.netSocket();
    scope.request().toNetSocket().onComplete(upgraded -> {
      if (upgraded.failed()) {
        endpointSocket.close();
        scope.report(101, ProblemType.UPSTREAM_FAILED, 0, 0, endpointId);
        return;
      }
      open(upgraded.result(), endpointSocket, (up, down) -> scope.report(101, null, up, down, endpointId));
    });
  }

  static void open(NetSocket client, NetSocket endpoint, Closed onClosed) {
    Tunnel tunnel = new Tunnel(client, endpoint, onClosed);
    client.closeHandler(done -> tunnel.close());
    endpoint.closeHandler(done -> tunnel.close());
    client.exceptionHandler(failure -> tunnel.close());
    endpoint.exceptionHandler(failure -> tunnel.close());
    BodyPump.start(client, endpoint, bytes -> {
      tunnel.up += bytes;
      return true;
    });
    BodyPump.start(endpoint, client, bytes -> {
      tunnel.down += bytes;
      return true;
    });
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    client.close();
    endpoint.close();
    onClosed.closed(up, down);
  }
}
