package io.trafficcoordinator.proxy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * Moves body chunks from a source to a sink with back-pressure, as Netty's proxy example does: when
 * the sink's write queue is full the source is paused, and it resumes when the sink drains. So at
 * most a write queue's worth of a body is held in memory, however large the body.
 *
 * <p>Runs on the event loop that owns both streams; not thread-safe.
 */
final class BodyPump {

  /** Sees each chunk before it is written; returning false stops the pump and drops the chunk. */
  @FunctionalInterface
  interface ChunkGate {
    boolean admit(Buffer chunk);
  }

  private final ReadStream<Buffer> source;
  private final Runnable onResume;
  private boolean stopped;
  private boolean heldBack;

  private BodyPump(ReadStream<Buffer> source, Runnable onResume) {
    this.source = source;
    this.onResume = onResume;
  }

  /**
   * A pump from {@code source} to {@code sink}, not yet moving: assign it, then {@link #start()} it,
   * because starting can deliver queued chunks at once and their handling may need the pump.
   * The end and failure of the source are the caller's to handle on the source.
   */
  static BodyPump between(ReadStream<Buffer> source, WriteStream<Buffer> sink, ChunkGate gate) {
    return between(source, sink, gate, () -> { });
  }

  /** As above; {@code onResume} runs each time a full sink drains and the source is resumed. */
  static BodyPump between(ReadStream<Buffer> source, WriteStream<Buffer> sink, ChunkGate gate, Runnable onResume) {
    BodyPump pump = new BodyPump(source, onResume);
    sink.drainHandler(ready -> pump.sinkDrained());
    source.handler(chunk -> {
      if (pump.stopped) {
        return;
      }
      if (!gate.admit(chunk)) {
        pump.stop();
        return;
      }
      sink.write(chunk);
      if (sink.writeQueueFull()) {
        pump.heldBack = true;
        source.pause();
      }
    });
    return pump;
  }

  /** Starts moving chunks. */
  BodyPump start() {
    if (!stopped) {
      source.resume();
    }
    return this;
  }

  private void sinkDrained() {
    if (stopped || !heldBack) {
      return;
    }
    heldBack = false;
    source.resume();
    onResume.run();
  }

  /** Whether the source is paused because the sink is full: the far side is not keeping up. */
  boolean isHeldBack() {
    return heldBack;
  }

  /** Stops reading the source for good. */
  void stop() {
    stopped = true;
    source.pause();
  }
}
