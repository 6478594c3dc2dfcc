package io.trafficcoordinator.proxy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a request body already sent to an endpoint, kept so that a retry can send it again.
 * Kept up to a limit: past it the copy is dropped and the request can no longer be retried once
 * any of its body has left. Chunks are Vert.x heap buffers the server request hands over (never
 * pooled), so holding them costs memory only, never a leak.
 *
 * <p>Confined to the exchange's event loop.
 */
final class RequestReplay {

  private final long limit;
  private final List<Buffer> chunks = new ArrayList<>(2);
  private long bytes;
  private boolean overflowed;

  RequestReplay(long limit, long declaredLength) {
    this.limit = limit;
    // A body declared larger than the limit is never copied: it could not be replayed anyway.
    this.overflowed = declaredLength > limit;
  }

  /** Records a chunk on its way to the endpoint. */
  void capture(Buffer chunk) {
    if (overflowed) {
      return;
    }
    bytes += chunk.length();
    if (bytes > limit) {
      overflowed = true;
      chunks.clear();
      return;
    }
    chunks.add(chunk);
  }

  /** Whether every byte sent so far can be sent again. */
  boolean isComplete() {
    return !overflowed;
  }

  /** Bytes of body that a new try starts with. */
  long bytes() {
    return overflowed ? 0 : bytes;
  }

  /** No further try will come (the response has started): the copy is let go at once. */
  void release() {
    chunks.clear();
    overflowed = true;
  }

  /** Sends the kept bytes to a new try's endpoint. */
  void writeTo(HttpClientRequest upstream) {
    for (Buffer chunk : chunks) {
      upstream.write(chunk);
    }
  }
}
