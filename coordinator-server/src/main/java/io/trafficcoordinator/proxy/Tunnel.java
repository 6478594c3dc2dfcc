package io.trafficcoordinator.proxy;

import io.trafficcoordinator.http.ProblemType;
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
   * 101, bytes each way). A client that already sent more (bytes of the new protocol, or another
   * request) before the 101 is refused instead: those bytes would be lost inside the HTTP decoder.
   *
   * @param decodedAtStart request heads the connection's decoder had produced when the handshake
   *     arrived (-1 when unknown)
   */
  static void accept(ExchangeScope scope, HttpClientResponse accepted, String endpointId, long decodedAtStart) {
    NetSocket endpointSocket = accepted.netSocket();
    StrictRequestDecoder decoder = StrictRequestDecoder.of(scope.request());
    if (decoder != null && (decoder.holdsUnreadBytes() || decoder.requestsDecoded() > decodedAtStart)) {
      endpointSocket.close();
      Problems.sendAndClose(scope.request(), ProblemType.MALFORMED_REQUEST,
          "the client sent data before the WebSocket handshake completed", scope.requestId());
      scope.report(400, ProblemType.MALFORMED_REQUEST, 0, 0, endpointId);
      return;
    }
    ResponseHead.switchingProtocols(accepted, scope.request().response(), scope.requestId());
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
    client.closeHandler(done -> tunnel.sideClosed(client));
    endpoint.closeHandler(done -> tunnel.sideClosed(endpoint));
    client.exceptionHandler(failure -> tunnel.abort());
    endpoint.exceptionHandler(failure -> tunnel.abort());
    BodyPump toEndpoint = BodyPump.between(client, endpoint, chunk -> {
      tunnel.up += chunk.length();
      return true;
    });
    BodyPump toClient = BodyPump.between(endpoint, client, chunk -> {
      tunnel.down += chunk.length();
      return true;
    });
    toEndpoint.start();
    toClient.start();
  }

  /**
   * One side closed: what it still had queued (it may have been paused for back-pressure) is
   * delivered, and the other side is closed once that is flushed, so the last frames — a close
   * frame, typically — arrive.
   */
  private void sideClosed(NetSocket side) {
    if (closed) {
      return;
    }
    closed = true;
    side.resume();
    (side == client ? endpoint : client).close();
    onClosed.closed(up, down);
  }

  /** A side failed: both close at once. */
  private void abort() {
    if (closed) {
      return;
    }
    closed = true;
    client.close();
    endpoint.close();
    onClosed.closed(up, down);
  }
}
