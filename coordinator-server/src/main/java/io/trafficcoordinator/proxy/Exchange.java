package io.trafficcoordinator.proxy;

import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.route.Route;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeoutException;

/**
 * One request's journey to an endpoint and back: acquire a pooled connection, stream the request
 * body up, wait (bounded) for the response headers, stream the response body down.
 *
 * <p>Every way it can end — response finished, endpoint failed or timed out, client body invalid or
 * too large, client gone — goes through {@link #finished}, so the exchange is reported exactly once.
 * The endpoint's {@link Selection} is completed when its response headers arrive (success below
 * 500) or when it fails first; a client that goes away tells nothing about the endpoint and is
 * ignored. An upstream connection whose exchange did not end cleanly is reset, which closes it, so
 * it never goes back to the pool.
 *
 * <p>Confined to the event loop of the client's connection; no field needs synchronisation.
 */
final class Exchange {

  private final ExchangeScope scope;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final Route route;
  private final Selection selection;
  private final RequestFraming.Verdict framing;
  private final String upstreamUri;

  private HttpClientRequest upstream;
  private BodyPump requestPump;
  private BodyPump responsePump;
  private final ExchangeTimer timer;
  private long requestBytes;
  private long responseBytes;
  private boolean requestBodyDone;
  private boolean responseStarted;
  private boolean responseDone;
  private boolean closeClient;
  private boolean tunnelled;
  private long decodedAtStart;
  private boolean finished;

  Exchange(ExchangeScope scope, Route route, Selection selection, RequestFraming.Verdict framing, String upstreamUri) {
    this.scope = scope;
    this.request = scope.request();
    this.response = request.response();
    this.route = route;
    this.selection = selection;
    this.framing = framing;
    this.upstreamUri = upstreamUri;
    long idleMillis = route.config().idleTimeout().toMillis();
    this.timer = new ExchangeTimer(scope.vertx(), scope.clock(), route.config().timeout().toMillis(), idleMillis,
        this::onResponseTimeout,
        () -> onUpstreamError(new TimeoutException("no response body data from the endpoint for " + idleMillis + " ms")));
  }

  void start() {
    StrictRequestDecoder decoder = StrictRequestDecoder.of(request);
    decodedAtStart = decoder == null ? -1 : decoder.requestsDecoded();
    response.closeHandler(closed -> onClientGone());
    request.exceptionHandler(this::onClientRequestError);
    RequestOptions options = UpstreamRequest.options(scope, selection.endpoint().address(), upstreamUri);
    UpstreamClient upstreams = scope.active().upstream();
    (scope.isWebSocketUpgrade() ? upstreams.tunnels() : upstreams.client()).request(options).onComplete(ready -> {
      if (ready.succeeded()) {
        onUpstreamReady(ready.result());
      } else {
        onUpstreamError(ready.cause());
      }
    });
  }

  private void onUpstreamReady(HttpClientRequest upstreamRequest) {
    if (finished) {
      // The client went away while a connection was being found.
      upstreamRequest.reset();
      return;
    }
    upstream = upstreamRequest;
    upstream.exceptionHandler(this::onUpstreamError);
    if (scope.isWebSocketUpgrade()) {
      // A handshake has no body (one with a body was refused); connect() sends the request and, on
      // 101, hands over the socket. Any other answer ends with the connection closed: Vert.x never
      // considers a connect() request ended, so it could not be pooled again safely.
      requestBodyDone = true;
      upstream.connect().onComplete(this::onAnswer);
      timer.awaitHead();
      return;
    }
    upstream.response().onComplete(this::onAnswer);
    if (framing.chunked()) {
      upstream.setChunked(true);
    }
    if (scope.expectsContinue()) {
      response.writeContinue();
    }
    request.endHandler(end -> onRequestBodyDone());
    requestPump = BodyPump.between(request, upstream, this::admitRequestChunk);
    requestPump.start();
  }

  private boolean admitRequestChunk(int bytes) {
    requestBytes += bytes;
    if (requestBytes <= scope.limits().maxBodyBytes()) {
      return true;
    }
    abortRequestBody(ProblemType.BODY_TOO_LARGE,
        "the request body exceeds the limit of " + scope.limits().maxBodyBytes() + " bytes");
    return false;
  }

  private void onRequestBodyDone() {
    requestBodyDone = true;
    if (finished) {
      return;
    }
    upstream.end();
    if (!responseStarted) {
      timer.awaitHead();
    }
  }

  private void onAnswer(AsyncResult<HttpClientResponse> answer) {
    if (answer.succeeded()) {
      onResponse(answer.result());
    } else {
      onUpstreamError(answer.cause());
    }
  }

  /** The client's body turned out invalid (a bad chunk) or the client's connection failed mid-body. */
  private void onClientRequestError(Throwable cause) {
    if (finished || requestBodyDone) {
      return;
    }
    if (cause instanceof HttpClosedException) {
      onClientGone();
      return;
    }
    abortRequestBody(ProblemType.MALFORMED_REQUEST, "invalid request body: " + Problems.describe(cause));
  }

  private void abortRequestBody(ProblemType problem, String detail) {
    boolean responding = response.headWritten();
    end();
    if (!responseStarted) {
      selection.ignore();
    }
    if (responding) {
      response.reset();
      scope.report(response.getStatusCode(), problem, requestBytes, responseBytes, selection.endpoint().id());
    } else {
      Problems.sendAndClose(request, problem, detail, scope.requestId());
      scope.report(problem.status(), problem, requestBytes, 0, selection.endpoint().id());
    }
  }

  private void onResponse(HttpClientResponse upstreamResponse) {
    if (finished) {
      return;
    }
    int status = upstreamResponse.statusCode();
    if (status < 200 && !(status == 101 && scope.isWebSocketUpgrade())) {
      // An interim status offered as the final answer (or a 101 to a request that did not ask to
      // switch protocols) is a broken endpoint: the client gets 502, and the connection is dropped.
      onUpstreamError(new IllegalStateException("the endpoint answered " + status + " as its final response"));
      return;
    }
    responseStarted = true;
    if (upstreamResponse.statusCode() >= 500) {
      selection.fail();
    } else {
      selection.succeed();
    }
    if (upstreamResponse.statusCode() == 101 && scope.isWebSocketUpgrade()) {
      openTunnel(upstreamResponse);
      return;
    }
    upstreamResponse.pause();
    closeClient = ResponseHead.relay(upstreamResponse, request, scope.requestId(), requestBodyDone);
    upstreamResponse.exceptionHandler(this::onUpstreamError);
    upstreamResponse.endHandler(end -> onResponseDone(upstreamResponse.statusCode()));
    responsePump = BodyPump.between(upstreamResponse, response, bytes -> {
      responseBytes += bytes;
      timer.touch();
      return true;
    }, timer::touch);
    timer.headArrived(responsePump::isHeldBack);
    responsePump.start();
  }

  /** The endpoint accepted the upgrade: from here on the exchange is a {@link Tunnel}. */
  private void openTunnel(HttpClientResponse accepted) {
    tunnelled = true;
    responseDone = true;
    end();
    Tunnel.accept(scope, accepted, selection.endpoint().id(), decodedAtStart);
  }

  private void onResponseDone(int status) {
    if (finished) {
      return;
    }
    responseDone = true;
    // With the request body unread, end() closes the upstream connection rather than pool it.
    end();
    Future<Void> written = response.end();
    if (closeClient) {
      written.onComplete(done -> request.connection().close());
    }
    scope.report(status, null, requestBytes, responseBytes, selection.endpoint().id());
  }

  private void onUpstreamError(Throwable cause) {
    if (finished) {
      return;
    }
    if (responseStarted) {
      // The endpoint failed mid-body: the client's response cannot be completed, so it is cut
      // (the client sees the connection close before the body ends).
      end();
      response.reset();
      scope.report(response.getStatusCode(), ProblemType.UPSTREAM_FAILED, requestBytes, responseBytes, selection.endpoint().id());
      return;
    }
    ProblemType problem = UpstreamErrors.classify(cause);
    if (UpstreamErrors.blamesEndpoint(problem)) {
      selection.fail();
    } else {
      selection.ignore();
    }
    failBeforeResponse(problem, UpstreamErrors.detail(problem, cause, selection.endpoint()));
  }

  private void onResponseTimeout() {
    if (finished || responseStarted) {
      return;
    }
    selection.fail();
    failBeforeResponse(ProblemType.UPSTREAM_TIMEOUT, "no response headers from " + selection.endpoint()
        + " within " + route.config().timeout().toMillis() + " ms");
  }

  private void failBeforeResponse(ProblemType problem, String detail) {
    end();
    if (!requestBodyDone && scope.hasBody()) {
      Problems.sendAndClose(request, problem, detail, scope.requestId());
    } else {
      Problems.send(request, problem, detail, scope.requestId());
    }
    scope.report(problem.status(), problem, requestBytes, 0, selection.endpoint().id());
  }

  private void onClientGone() {
    if (finished) {
      return;
    }
    end();
    selection.ignore();
    scope.report(499, null, requestBytes, responseBytes, selection.endpoint().id());
  }

  /**
   * Marks the exchange finished, then stops both pumps and the timer, and gets rid of an upstream
   * connection whose exchange did not end cleanly (both bodies complete; never after a handshake). The flag comes first:
   * resetting fails the upstream request synchronously, and that failure must find the exchange over.
   */
  private void end() {
    finished = true;
    timer.cancel();
    if (requestPump != null) {
      requestPump.stop();
    }
    if (responsePump != null && !responseDone) {
      responsePump.stop();
    }
    boolean reusable = responseDone && requestBodyDone && !scope.isWebSocketUpgrade();
    if (upstream != null && !tunnelled && !reusable) {
      upstream.reset();
      // Once the endpoint's response has ended, Vert.x's reset no longer closes the connection (the
      // stream has left its response queue) and would return it to the pool with half a request on
      // it; the next request would be read as the rest of that body. So close it outright.
      upstream.connection().close();
    }
  }
}
