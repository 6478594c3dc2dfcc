package io.trafficcoordinator.endpoint;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an endpoint owes: the requests sent to it in full whose answer has not begun, and for how
 * long it has given none. A black hole (it accepts requests and answers nothing) shows here long
 * before any of its requests times out: its silence grows without bound, while a busy, healthy
 * endpoint's stays near its latency. The stall verdict that {@code outlier.Stalls} reaches from it
 * is kept here too.
 *
 * <p>Thread-safe and lock-free: one atomic counter and a few volatile times, written by the
 * requests' own threads.
 */
public final class AnswerWatch {

  private final AtomicInteger awaiting = new AtomicInteger();
  private volatile long awaitingSinceNanos;
  /** When the count last rose to two: a lone long request does not make an endpoint silent. */
  private volatile long pairedSinceNanos;
  private volatile long lastAnswerNanos;
  private volatile boolean answeredEver;
  private volatile boolean stalled;

  /** A request was sent in full at {@code nowNanos}; its answer is owed. */
  public void awaitAnswer(long nowNanos) {
    // The times are written before the count rises, and again if the count moved meanwhile, so that
    // a reader that sees the new count never pairs it with the time of an earlier spell (which
    // would make the silence look long).
    for (;;) {
      int before = awaiting.get();
      if (before == 0) {
        awaitingSinceNanos = nowNanos;
      }
      if (before <= 1) {
        pairedSinceNanos = nowNanos;
      }
      if (awaiting.compareAndSet(before, before + 1)) {
        return;
      }
    }
  }

  /** The answer to a request {@link #awaitAnswer} counted began to arrive at {@code nowNanos}. */
  public void answerArrived(long nowNanos) {
    lastAnswerNanos = nowNanos;
    answeredEver = true;
    awaiting.decrementAndGet();
  }

  /** A request {@link #awaitAnswer} counted ended without an answer (failed, timed out, abandoned). */
  public void stopWaiting() {
    awaiting.decrementAndGet();
  }

  /** Requests sent in full whose answer has not begun. */
  public int awaiting() {
    return awaiting.get();
  }

  /**
   * How long the endpoint has owed an answer without giving any at {@code nowNanos}: since the
   * later of its last answer and the moment requests began waiting (the moment a second one joined,
   * once two or more wait, so that one long request alone never makes a silence); 0 when nothing
   * is owed.
   */
  public long silenceNanos(long nowNanos) {
    int count = awaiting.get();
    if (count <= 0) {
      return 0;
    }
    long since = count >= 2 ? pairedSinceNanos : awaitingSinceNanos;
    long answered = lastAnswerNanos;
    if (answeredEver && answered - since > 0) {
      since = answered;
    }
    return Math.max(0, nowNanos - since);
  }

  /** Whether an answer began within {@code spanNanos} before {@code nowNanos}. */
  public boolean answeredWithin(long spanNanos, long nowNanos) {
    return answeredEver && nowNanos - lastAnswerNanos <= spanNanos;
  }

  /** Whether stall detection has the endpoint out of the pick. */
  public boolean isStalled() {
    return stalled;
  }

  void setStalled(boolean value) {
    stalled = value;
  }
}
