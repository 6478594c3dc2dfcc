package io.trafficcoordinator.proxy;

import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;

/**
 * An endpoint's retryable answer (a 503, say), kept paused while the next try is prepared: if no
 * endpoint is left to try, it is the client's answer after all. A failure of its connection while
 * it waits makes it unfit to relay.
 *
 * <p>Confined to the exchange's event loop.
 */
final class HeldAnswer {

  private final HttpClientRequest request;
  private final boolean wholeRequestSent;
  private final HttpClientResponse response;
  private Throwable failure;

  private HeldAnswer(HttpClientRequest request, boolean wholeRequestSent, HttpClientResponse response) {
    this.request = request;
    this.wholeRequestSent = wholeRequestSent;
    this.response = response;
  }

  /** Holds {@code response}, the answer to {@code request}, paused. */
  static HeldAnswer hold(HttpClientRequest request, boolean wholeRequestSent, HttpClientResponse response) {
    HeldAnswer held = new HeldAnswer(request, wholeRequestSent, response);
    response.pause();
    // Without a handler Vert.x would also log the reset that discarding it causes as an error.
    response.exceptionHandler(failure -> held.failure = failure);
    return held;
  }

  HttpClientRequest request() {
    return request;
  }

  boolean wholeRequestSent() {
    return wholeRequestSent;
  }

  HttpClientResponse response() {
    return response;
  }

  /** Why its connection failed while it waited, or null. */
  Throwable failure() {
    return failure;
  }

  /** Gives it up: see {@link #discard(HttpClientRequest, boolean)}. */
  void discard() {
    discard(request, wholeRequestSent);
  }

  /**
   * Gets rid of a try's request. Resetting closes its connection while its response is still
   * arriving. Once the response has ended, Vert.x's reset does nothing: if the whole request was
   * sent, the connection is clean and has gone back to the pool — where another exchange may
   * already be using it, so it must not be closed. If part of the request was never sent, Vert.x
   * keeps the connection out of the pool but would return it with half a request on it (the next
   * request would be read as the rest of that body), so it is closed outright.
   */
  static void discard(HttpClientRequest request, boolean wholeRequestSent) {
    if (request != null) {
      request.reset();
      if (!wholeRequestSent) {
        request.connection().close();
      }
    }
  }
}
