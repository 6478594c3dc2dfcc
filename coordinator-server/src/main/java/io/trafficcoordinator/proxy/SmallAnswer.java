package io.trafficcoordinator.proxy;

import io.trafficcoordinator.config.AnswerHold;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;

/**
 * An endpoint's answer read whole before any of it goes to the client (see {@link AnswerHold}), so
 * that one cut midway is a failed try that can still be retried or answered 502 instead of reaching
 * the client half-done. Streams of messages (event streams, NDJSON, gRPC, multipart replace) are
 * never held. It ends in one of three ways, told to its {@link Outcome}: complete, too
 * large to hold (the exchange streams it from there, starting with what was collected), or cut.
 *
 * <p>Confined to the exchange's event loop.
 */
final class SmallAnswer {

  /** How a held answer ended. */
  interface Outcome {
    /** The whole body arrived: {@code body}, which may be empty. */
    void complete(Buffer body);

    /** It outgrew the limit; {@link #collected()} holds what came so far and the response is paused. */
    void tooLarge();

    /** Its connection failed before the body's end. */
    void cut(Throwable cause);
  }

  private final HttpClientResponse response;
  private final long limit;
  private final Outcome outcome;
  private final Runnable onChunk;
  private Buffer collected;
  private boolean over;

  private SmallAnswer(HttpClientResponse response, long limit, Runnable onChunk, Outcome outcome) {
    this.response = response;
    this.limit = limit;
    this.onChunk = onChunk;
    this.outcome = outcome;
  }

  /**
   * Whether {@code response} should be held under {@code hold}: holding is on, it is no event
   * stream, and its Content-Length (when it has one, and the request was no HEAD) is within the limit.
   */
  static boolean fits(HttpClientResponse response, HttpMethod method, AnswerHold hold) {
    if (!hold.enabled()) {
      return false;
    }
    if (isStream(response.getHeader("content-type"))) {
      return false;
    }
    String length = response.getHeader("content-length");
    if (length == null || method == HttpMethod.HEAD) {
      return true;
    }
    try {
      return Long.parseLong(length.trim()) <= hold.limitBytes();
    } catch (NumberFormatException e) {
      return false; // the decoder refuses a bad length before this; stream it if one slips through
    }
  }

  /** Content types whose answers are streams of messages, each of which the client wants at once. */
  private static final String[] STREAMS = {"text/event-stream", "application/x-ndjson", "application/stream+json",
      "application/jsonl", "application/grpc", "multipart/x-mixed-replace"};

  private static boolean isStream(String type) {
    if (type == null) {
      return false;
    }
    for (String stream : STREAMS) {
      if (type.regionMatches(true, 0, stream, 0, stream.length())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Starts collecting {@code response}'s body; at most {@code limit} bytes are kept, and
   * {@code onChunk} hears of each chunk (the body is moving: no idle timeout).
   */
  static SmallAnswer collect(HttpClientResponse response, long limit, Runnable onChunk, Outcome outcome) {
    SmallAnswer answer = new SmallAnswer(response, limit, onChunk, outcome);
    response.handler(answer::chunk);
    response.exceptionHandler(answer::failed);
    response.endHandler(end -> answer.ended());
    response.resume();
    return answer;
  }

  private void chunk(Buffer chunk) {
    if (over) {
      return;
    }
    onChunk.run();
    if (collected == null) {
      collected = chunk.length() > limit ? chunk : Buffer.buffer((int) Math.min(limit, Math.max(chunk.length(), 4096)))
          .appendBuffer(chunk);
    } else {
      collected.appendBuffer(chunk);
    }
    if (collected.length() > limit) {
      over = true;
      response.pause();
      outcome.tooLarge();
    }
  }

  private void ended() {
    if (!over) {
      over = true;
      outcome.complete(collected == null ? Buffer.buffer(0) : collected);
    }
  }

  private void failed(Throwable cause) {
    if (!over) {
      over = true;
      outcome.cut(cause);
    }
  }

  /** Stops listening: the hold is over (its wait ran out) and the answer is streamed. */
  void release() {
    over = true;
    response.pause();
  }

  /** The body received so far, or null when none was. */
  Buffer collected() {
    return collected;
  }

  /** How many bytes of body arrived before the hold ended. */
  long size() {
    return collected == null ? 0 : collected.length();
  }
}
