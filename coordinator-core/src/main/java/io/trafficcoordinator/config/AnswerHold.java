package io.trafficcoordinator.config;

import io.trafficcoordinator.config.tree.ConfigNode;
import io.trafficcoordinator.config.tree.ConfigObject;
import java.time.Duration;

/**
 * How a route holds small answers back: an endpoint's answer is read whole before a byte of it goes
 * to the client when its Content-Length is at most {@code limit}, or, without a length, while what
 * arrived stays within {@code limit}, for at most {@code maxWait} after its head. A small answer
 * cut midway is then a failed try like any other, retried on another endpoint (idempotent
 * requests, within the budget) or answered 502, and the client never sees half of it. An answer
 * that outgrows the limit or the wait is streamed from there on; if it is cut after that, the
 * client sees the connection close before the body's end. Event streams
 * ({@code text/event-stream}) are never held.
 *
 * <p>Configured as {@code answerHold: {limit: 64KiB, maxWait: 200ms}}; {@code limit: 0} turns it off.
 *
 * @param limitBytes answers up to this size are held (default 64 KiB)
 * @param maxWait the longest an answer is held after its head (default 200 ms)
 */
public record AnswerHold(long limitBytes, Duration maxWait) {

  public static final AnswerHold DEFAULT = new AnswerHold(64 * 1024, Duration.ofMillis(200));
  public static final AnswerHold OFF = new AnswerHold(0, Duration.ZERO);

  public boolean enabled() {
    return limitBytes > 0 && !maxWait.isZero();
  }

  static AnswerHold bind(ConfigNode node) {
    if (!node.isPresent()) {
      return DEFAULT;
    }
    ConfigObject o = node.asObject();
    AnswerHold hold = new AnswerHold(
        o.size("limit", DEFAULT.limitBytes, 0, 16L * 1024 * 1024),
        o.duration("maxWait", DEFAULT.maxWait, Duration.ZERO, Duration.ofMinutes(1)));
    o.finish();
    return hold;
  }
}
