package io.trafficcoordinator.proxy;

import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.http.ProblemType;
import io.trafficcoordinator.retry.RetryCause;
import io.trafficcoordinator.retry.RetryConfig;
import io.trafficcoordinator.route.Route;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeoutException;

/**
 * One request's journey to an endpoint and back: acquire a pooled connection, stream the request
 * body up, wait (bounded) for the response headers, stream the response body down. A try that
 * fails before the response starts may be followed by another ({@link Retrying}), to another
 * endpoint, with the body sent so far replayed from a bounded copy ({@link RequestReplay}).
 *
 * <p>Every way it can end — response finished, endpoint failed or timed out, client body invalid or
 * too large, client gone — goes through {@link #finished}, so the exchange is reported exactly once.
 * Each try's {@link Selection} is completed when its response headers arrive (success below 500) or
 * when it fails first; a client that goes away tells nothing about the endpoint and is ignored. An
 * upstream connection whose exchange did not end cleanly is reset, which closes it, so it never
 * goes back to the pool. Callbacks of an abandoned try carry its number and find it stale.
 *
 * <p>Confined to the event loop of the client's connection; no field needs synchronisation.
 */
final class Exchange {

  private final ExchangeScope scope;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final Route route;
  private final RequestContext context;
  private final RequestFraming.Verdict framing;
  private final String upstreamUri;
  private final ExchangeTimer timer;
  private final Retrying retrying;
  private final RequestReplay replay;
  private final RequestBodyPace pace;
  private final long perTryNanos;

  private Selection selection;
  private int attempt;
  private HttpClientRequest upstream;
  private boolean upstreamEnded;
  private HeldAnswer held;
  private SmallAnswer small;
  private HttpClientResponse answering;
  private long backoffTimer = -1;
  private ProblemType lastProblem;
  private String lastDetail;
  private BodyPump requestPump;
  private BodyPump responsePump;
  private long requestBytes;
  private long responseBytes;
  private boolean continueSent;
  private boolean requestBodyDone;
  private boolean responseStarted;
  private boolean responseDone;
  private boolean closeClient;
  private boolean tunnelled;
  private long decodedAtStart;
  private boolean finished;

  Exchange(ExchangeScope scope, Route route, RequestContext context, Selection selection, RequestFraming.Verdict framing,
      String upstreamUri) {
    this.scope = scope;
    this.request = scope.request();
    this.response = request.response();
    this.route = route;
    this.context = context;
    this.selection = selection;
    this.framing = framing;
    this.upstreamUri = upstreamUri;
    long idleMillis = route.config().idleTimeout().toMillis();
    long routeTimeoutNanos = route.config().timeout().toNanos();
    this.replay = route.config().retries().enabled() && scope.hasBody()
        ? new RequestReplay(route.config().retries().replayBodyLimit(), framing.contentLength()) : null;
    // The derived per-try timeout only for a request a timeout could retry: a POST that timed out
    // early would only fail early (504) while its endpoint may still be doing its work.
    RetryConfig retries = route.config().retries();
    boolean replayable = !scope.hasBody() || (replay != null && framing.contentLength() >= 0
        && framing.contentLength() <= retries.replayBodyLimit());
    boolean retryable = retries.enabled() && retries.onTimeout() && replayable
        && RetryCause.isIdempotent(request.method().name(), request.headers().contains("idempotency-key"));
    this.perTryNanos = route.config().retries().perTryTimeoutNanos(routeTimeoutNanos,
        retryable ? scope.service().balancer().tryTimeout().nanos(routeTimeoutNanos) : routeTimeoutNanos);
    this.timer = new ExchangeTimer(scope.vertx(), scope.clock(), routeTimeoutNanos, perTryNanos, idleMillis,
        this::onResponseTimeout,
        () -> onUpstreamError(new TimeoutException("no response body data from the endpoint for " + idleMillis + " ms")),
        this::endpointJudged, this::onEndpointStalled);
    this.retrying = new Retrying(scope, route, perTryNanos);
    this.pace = scope.hasBody() ? new RequestBodyPace(scope.vertx(), scope.limits(), route.config().bodyTimeout(),
        () -> requestBytes, () -> requestPump == null || requestPump.isHeldBack(),
        why -> abortRequestBody(ProblemType.REQUEST_BODY_TIMEOUT, why)) : null;
  }

  void start() {
    StrictRequestDecoder decoder = StrictRequestDecoder.of(request);
    decodedAtStart = decoder == null ? -1 : decoder.requestsDecoded();
    response.closeHandler(closed -> onClientGone());
    request.exceptionHandler(this::onClientRequestError);
    // The request stays paused until a try's connection is ready, so its end arrives after that.
    request.endHandler(end -> onRequestBodyDone());
    connect();
  }

  /** Starts a try on the current selection. */
  private void connect() {
    int current = ++attempt;
    retrying.starting(selection.endpoint().id());
    RequestOptions options = UpstreamRequest.options(scope, selection.endpoint().address(), upstreamUri);
    UpstreamClient upstreams = scope.active().upstream();
    (scope.isWebSocketUpgrade() ? upstreams.tunnels() : upstreams.client()).request(options).onComplete(ready -> {
      if (finished || current != attempt) {
        // The client went away while a connection was being found.
        if (ready.succeeded()) {
          ready.result().exceptionHandler(ignored -> { });
          ready.result().reset();
        }
      } else if (ready.succeeded()) {
        onUpstreamReady(ready.result(), current);
      } else {
        onUpstreamError(ready.cause());
      }
    });
  }

  private void onUpstreamReady(HttpClientRequest upstreamRequest, int current) {
    upstream = upstreamRequest;
    upstreamEnded = false;
    upstream.exceptionHandler(failure -> {
      if (current == attempt) {
        onUpstreamError(failure);
      }
    });
    if (scope.isWebSocketUpgrade()) {
      // A handshake has no body (one with a body was refused); connect() sends the request and, on
      // 101, hands over the socket. Any other answer ends with the connection closed: Vert.x never
      // considers a connect() request ended, so it could not be pooled again safely.
      requestBodyDone = true;
      upstream.connect().onComplete(answer -> onAnswer(answer, current));
      selection.sent();
      timer.awaitHead();
      return;
    }
    upstream.response().onComplete(answer -> onAnswer(answer, current));
    if (framing.chunked()) {
      upstream.setChunked(true);
    }
    if (scope.expectsContinue() && !continueSent) {
      continueSent = true;
      response.writeContinue();
    }
    if (replay != null) {
      replay.writeTo(upstream);
    }
    if (requestBodyDone) {
      endUpstream();
      return;
    }
    requestPump = pace == null ? BodyPump.between(request, upstream, this::admitRequestChunk)
        : BodyPump.between(request, upstream, this::admitRequestChunk, pace::reading);
    requestPump.start();
    if (pace != null) {
      pace.reading();
    }
  }

  private boolean admitRequestChunk(Buffer chunk) {
    requestBytes += chunk.length();
    if (requestBytes > scope.limits().maxBodyBytes()) {
      abortRequestBody(ProblemType.BODY_TOO_LARGE,
          "the request body exceeds the limit of " + scope.limits().maxBodyBytes() + " bytes");
      return false;
    }
    if (replay != null) {
      replay.capture(chunk);
    }
    return true;
  }

  private void onRequestBodyDone() {
    requestBodyDone = true;
    if (pace != null) {
      pace.stop();
    }
    if (finished || upstream == null) {
      // Between tries: the next one sends the end with the replayed body.
      return;
    }
    endUpstream();
  }

  /** The whole request has gone to the current try's endpoint: its answer is now due. */
  private void endUpstream() {
    upstream.end();
    upstreamEnded = true;
    if (!responseStarted) {
      selection.sent();
      timer.awaitHead();
    }
  }

  private void onAnswer(AsyncResult<HttpClientResponse> answer, int current) {
    if (current != attempt) {
      if (answer.succeeded()) {
        // A stale try's answer: without a handler, Vert.x would log the reset that discards it.
        answer.result().exceptionHandler(ignored -> { });
      }
      return;
    }
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
    if (finished) {
      return;
    }
    boolean responding = response.headWritten();
    end();
    selection.ignore(); // the client's fault, whatever the endpoint had answered so far
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
      upstreamResponse.exceptionHandler(ignored -> { });
      return;
    }
    int status = upstreamResponse.statusCode();
    if (status < 200 && !(status == 101 && scope.isWebSocketUpgrade())) {
      // An interim status offered as the final answer (or a 101 to a request that did not ask to
      // switch protocols) is a broken endpoint: the client gets 502, and the connection is dropped.
      onUpstreamError(new IllegalStateException("the endpoint answered " + status + " as its final response"));
      return;
    }
    String badFraming = ResponseHead.framingProblem(upstreamResponse, request.method());
    if (badFraming != null) {
      onUpstreamError(new IllegalStateException(badFraming));
      return;
    }
    // Only a 5xx is judged at its head; any other answer is judged at its end (it may yet be cut).
    selection.answered();
    if (status >= 500) {
      selection.fail();
    }
    if (status == 101 && scope.isWebSocketUpgrade()) {
      selection.succeed();
      responseStarted = true;
      openTunnel(upstreamResponse);
      return;
    }
    if (!scope.isWebSocketUpgrade()) {
      long delay = retrying.nextTry(RetryCause.STATUS, status, isBodyReplayable(), timer.remainingNanos());
      if (delay >= 0) {
        selection.succeed(); // a 4xx the route retries on: the endpoint itself answered properly
        // Kept until the next try is under way: if no endpoint is left by then, this answer is
        // the one the client gets.
        attempt++;
        held = HeldAnswer.hold(upstream, upstreamEnded, upstreamResponse);
        upstream = null;
        waitThenRetry(delay);
        return;
      }
    }
    answer(upstreamResponse);
  }

  /** The endpoint's answer goes to the client: held whole first when it is small, streamed otherwise. */
  private void answer(HttpClientResponse upstreamResponse) {
    answering = upstreamResponse;
    if (!SmallAnswer.fits(upstreamResponse, request.method(), route.config().answerHold())) {
      relay(upstreamResponse, null);
      return;
    }
    upstreamResponse.pause();
    small = SmallAnswer.collect(upstreamResponse, route.config().answerHold().limitBytes(), timer::touch,
        new SmallAnswer.Outcome() {
      @Override
      public void complete(Buffer body) {
        onSmallAnswerComplete(body);
      }

      @Override
      public void tooLarge() {
        streamHeldAnswer();
      }

      @Override
      public void cut(Throwable cause) {
        onAnswerCut(cause);
      }
    });
    timer.headArrived(() -> false, route.config().answerHold().maxWait().toNanos(), this::streamHeldAnswer);
  }

  /** The held answer outgrew its limit or its wait: it is streamed, starting with what came so far. */
  private void streamHeldAnswer() {
    if (finished || small == null) {
      return;
    }
    SmallAnswer answer = small;
    small = null;
    answer.release();
    timer.holdEnded();
    relay(answering, answer.collected());
  }

  /** The whole of a held answer arrived: the client gets it in one piece, with its length. */
  private void onSmallAnswerComplete(Buffer body) {
    if (finished) {
      return;
    }
    small = null;
    timer.holdEnded();
    responseStarted = true;
    responseDone = true;
    int status = answering.statusCode();
    if (status < 500) {
      selection.succeed();
    }
    closeClient = ResponseHead.relay(answering, request, scope.requestId(), requestBodyDone, body.length());
    responseBytes = body.length();
    end();
    Future<Void> written = body.length() == 0 ? response.end() : response.end(body);
    if (closeClient) {
      written.onComplete(done -> request.connection().close());
    }
    scope.report(status, null, requestBytes, responseBytes, selection.endpoint().id());
  }

  /**
   * The endpoint's answer ended before its framing said it was complete while nothing of it had
   * reached the client: a failed try, retried like a reset when the request allows, 502 otherwise.
   */
  private void onAnswerCut(Throwable cause) {
    if (finished || small == null) {
      return;
    }
    long received = small == null ? 0 : small.size();
    small = null;
    timer.holdEnded();
    selection.fail();
    String detail = "the answer of " + selection.endpoint() + " was cut after " + received + " bytes of its body ("
        + Problems.describe(cause) + ")";
    retryOrFail(RetryCause.CUT_ANSWER, ProblemType.UPSTREAM_ANSWER_CUT, detail);
  }

  /** Streams the endpoint's answer to the client, {@code start} (what a hold collected, or null) first. */
  private void relay(HttpClientResponse upstreamResponse, Buffer start) {
    responseStarted = true;
    if (replay != null) {
      // Nothing is retried once the response starts: the body's copy need not outlive the wait
      // for headers (a long download would otherwise pin up to replayBodyLimit per request).
      replay.release();
    }
    upstreamResponse.pause();
    closeClient = ResponseHead.relay(upstreamResponse, request, scope.requestId(), requestBodyDone, -1);
    upstreamResponse.exceptionHandler(this::onUpstreamError);
    upstreamResponse.endHandler(end -> onResponseDone(upstreamResponse.statusCode()));
    if (start != null && start.length() > 0) {
      responseBytes += start.length();
      response.write(start);
    }
    responsePump = BodyPump.between(upstreamResponse, response, chunk -> {
      responseBytes += chunk.length();
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
    if (status < 500) {
      selection.succeed();
    }
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
    if (small != null) {
      // The body went idle while it was being held: a cut like any other, nothing of it sent yet.
      onAnswerCut(cause);
      return;
    }
    if (responseStarted && !response.headWritten()) {
      // Its body was bad before a byte of it reached the client (an invalid first chunk size):
      // nothing has been sent, so the client can still be told, with a 502.
      selection.fail();
      end();
      response.headers().clear();
      response.setStatusMessage(io.netty.handler.codec.http.HttpResponseStatus.BAD_GATEWAY.reasonPhrase());
      answerProblem(ProblemType.UPSTREAM_FAILED, UpstreamErrors.detail(ProblemType.UPSTREAM_FAILED, cause,
          selection.endpoint()));
      return;
    }
    if (responseStarted) {
      // The endpoint failed mid-body: the client's response cannot be completed, so it is cut
      // (the client sees the connection close before the body ends, never a final empty chunk).
      selection.fail();
      end();
      response.reset();
      scope.report(response.getStatusCode(), ProblemType.UPSTREAM_ANSWER_CUT, requestBytes, responseBytes,
          selection.endpoint().id());
      return;
    }
    ProblemType problem = UpstreamErrors.classify(cause);
    if (UpstreamErrors.blamesEndpoint(problem)) {
      selection.fail();
    } else {
      selection.ignore();
    }
    String detail = UpstreamErrors.detail(problem, cause, selection.endpoint());
    // Without a connection the request never left; with one, it may have reached the endpoint.
    RetryCause kind = upstream == null ? RetryCause.CONNECT_FAILURE : RetryCause.RESET;
    retryOrFail(kind, problem, detail);
  }

  /**
   * Whether the endpoint of the try that waits for its answer has been taken out: found stalled, or
   * ejected (perhaps by the failures of the tries given up on it, which end its stall verdict).
   */
  private boolean endpointJudged() {
    return selection.judgedSinceSent();
  }

  /**
   * The endpoint this try waits on was found stalled or ejected: the try is given up and sent elsewhere when
   * the request allows (it counts as the endpoint's failure, not toward its breaker); otherwise it
   * goes on waiting, since it may not reach an endpoint twice.
   */
  private void onEndpointStalled() {
    if (finished || responseStarted || small != null || upstream == null) {
      return;
    }
    long delay = retrying.nextTry(RetryCause.STALLED, 0, isBodyReplayable(), timer.remainingNanos());
    if (delay < 0) {
      return;
    }
    selection.abandon();
    lastProblem = ProblemType.UPSTREAM_TIMEOUT;
    lastDetail = selection.endpoint() + " was found stalled (it answers nobody while the other endpoints answer)";
    attempt++;
    HeldAnswer.discard(upstream, upstreamEnded);
    upstream = null;
    waitThenRetry(delay);
  }

  private void onResponseTimeout() {
    if (finished || responseStarted) {
      return;
    }
    if (timer.triedFully()) {
      selection.failTimedOut();
    } else {
      // The route's deadline came before the try had its whole per-try time (or while it was
      // still connecting or backing off): that says nothing about the endpoint.
      selection.ignore();
    }
    if (timer.overallExpired()) {
      failBeforeResponse(ProblemType.UPSTREAM_TIMEOUT, "no response headers from " + selection.endpoint()
          + " within the route's timeout of " + route.config().timeout().toMillis() + " ms");
    } else {
      retryOrFail(RetryCause.TIMEOUT, ProblemType.UPSTREAM_TIMEOUT, "no response headers from " + selection.endpoint()
          + " within the per-try timeout of " + perTryNanos / 1_000_000L + " ms");
    }
  }

  private void retryOrFail(RetryCause kind, ProblemType problem, String detail) {
    long delay = scope.isWebSocketUpgrade() ? -1 : retrying.nextTry(kind, 0, isBodyReplayable(), timer.remainingNanos());
    if (delay < 0) {
      failBeforeResponse(problem, detail);
      return;
    }
    lastProblem = problem;
    lastDetail = detail;
    // The failed try's callbacks are stale from here; resetting it below fires some at once.
    attempt++;
    HeldAnswer.discard(upstream, upstreamEnded);
    upstream = null;
    waitThenRetry(delay);
  }

  /** Whether a new try could send every byte of body the client has sent so far. */
  private boolean isBodyReplayable() {
    return requestBytes == 0 || (replay != null && replay.isComplete());
  }

  private void waitThenRetry(long delayNanos) {
    timer.retrying();
    if (requestPump != null) {
      requestPump.stop();
      requestPump = null;
    }
    long millis = delayNanos / 1_000_000L;
    if (millis < 1) {
      nextTry();
    } else {
      backoffTimer = scope.vertx().setTimer(millis, id -> {
        backoffTimer = -1;
        nextTry();
      });
    }
  }

  private void nextTry() {
    if (finished) {
      return;
    }
    Selection next = retrying.pickNext(scope.service().balancer(), context);
    if (next.isNone()) {
      giveUp();
      return;
    }
    if (held != null) {
      held.discard();
      held = null;
    }
    selection = next;
    retrying.sent();
    connect();
  }

  /** No endpoint to retry on: the last try's answer or failure is the client's. */
  private void giveUp() {
    HeldAnswer answer = held;
    held = null;
    if (answer == null) {
      failBeforeResponse(lastProblem, lastDetail);
    } else if (answer.failure() != null) {
      answer.discard();
      failBeforeResponse(ProblemType.UPSTREAM_FAILED,
          UpstreamErrors.detail(ProblemType.UPSTREAM_FAILED, answer.failure(), selection.endpoint()));
    } else {
      upstream = answer.request();
      upstreamEnded = answer.wholeRequestSent();
      answer(answer.response());
    }
  }

  private void failBeforeResponse(ProblemType problem, String detail) {
    end();
    answerProblem(problem, detail);
  }

  /** The client's answer when the endpoint's could not be relayed; the exchange has ended. */
  private void answerProblem(ProblemType problem, String detail) {
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
    if (selection.isAnswered()) {
      selection.succeed(); // a 5xx was judged already; any other answer was going well
    } else {
      selection.ignore();
    }
    scope.report(499, null, requestBytes, responseBytes, selection.endpoint().id());
  }

  /**
   * Marks the exchange finished, then stops both pumps and the timers, and gets rid of an upstream
   * connection whose exchange did not end cleanly (both bodies complete; never after a handshake).
   * The flag comes first: resetting fails the upstream request synchronously, and that failure must
   * find the exchange over.
   */
  private void end() {
    finished = true;
    timer.cancel();
    if (pace != null) {
      pace.stop();
    }
    if (backoffTimer != -1) {
      scope.vertx().cancelTimer(backoffTimer);
      backoffTimer = -1;
    }
    if (requestPump != null) {
      requestPump.stop();
    }
    if (responsePump != null && !responseDone) {
      responsePump.stop();
    }
    if (held != null) {
      held.discard();
    }
    boolean reusable = responseDone && requestBodyDone && !scope.isWebSocketUpgrade();
    if (!tunnelled && !reusable) {
      HeldAnswer.discard(upstream, upstreamEnded);
    }
  }
}
