package io.trafficcoordinator.proxy;

import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.VertxConnection;
import java.lang.reflect.Field;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases the messages Vert.x 5.0.7 leaves behind when a connection closes while paused.
 *
 * <p>While a connection is paused, {@code VertxConnection} parks the raw Netty messages it reads
 * (with their pooled, often direct, buffers) in a private {@code pending} queue, and nothing releases
 * them when the connection closes. It happens to an HTTP server connection when a client pipelines a
 * request with a body behind one still in progress and hangs up, to an upstream connection closed
 * while its response is paused for back-pressure, and to the HTTP connection a WebSocket tunnel
 * replaces. Each is a leak of direct memory a client can repeat at will, so every connection gets a
 * listener on its channel's close (which survives Vert.x swapping the channel's handler for a
 * tunnel) that empties the queue of the connection object it was created with.
 *
 * <p>Reflection on a private field is the price; if a Vert.x upgrade renames the field, this logs one
 * warning and does nothing, and the proxy tests' leak check fails.
 */
final class ParkedMessages {

  private static final Logger LOG = LoggerFactory.getLogger(ParkedMessages.class);
  private static final Field PENDING = pendingField();

  private ParkedMessages() {}

  /** Arranges for {@code connection}'s parked messages to be released when its channel closes. */
  static void releaseOnClose(HttpConnection connection) {
    if (PENDING == null || !(connection instanceof ConnectionBase base)) {
      return;
    }
    Channel channel = base.channel();
    channel.closeFuture().addListener(closed -> channel.eventLoop().execute(() -> release(connection)));
  }

  private static void release(Object connection) {
    try {
      @SuppressWarnings("unchecked")
      Deque<Object> parked = (Deque<Object>) PENDING.get(connection);
      if (parked == null) {
        return;
      }
      Object message;
      while ((message = parked.poll()) != null) {
        ReferenceCountUtil.release(message);
      }
    } catch (IllegalAccessException e) {
      LOG.warn("cannot release messages parked on a closed connection: {}", e.toString());
    }
  }

  private static Field pendingField() {
    try {
      Field field = VertxConnection.class.getDeclaredField("pending");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LoggerFactory.getLogger(ParkedMessages.class).warn(
          "this Vert.x has no VertxConnection.pending field; messages parked on closed connections are not released: {}",
          e.toString());
      return null;
    }
  }
}
