package io.trafficcoordinator.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.trafficcoordinator.time.NanoClock;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures of client and endpoint connections that reached no request's own handler: Vert.x hands
 * them to the connection, and would otherwise log each one as an ERROR. Routine ones — a peer that
 * reset or closed its connection, a write into a connection already gone — are what a proxy sees all
 * day and has handled (the request they belonged to, if any, has failed over or been reported), so
 * they are only counted; anything else is logged as a WARN, a few lines a second at most.
 *
 * <p>Thread-safe; called on the connections' event loops.
 */
public final class ConnectionErrors {

  private static final Logger LOG = LoggerFactory.getLogger("connections");

  /** Which side of the proxy the connection is on. */
  public enum Side {
    CLIENT("client"), UPSTREAM("upstream");

    private final String label;

    Side(String label) {
      this.label = label;
    }
  }

  private final Counter[] routine = new Counter[Side.values().length];
  private final Counter[] unusual = new Counter[Side.values().length];
  private final StateChangeLog lines;

  public ConnectionErrors(MeterRegistry registry, NanoClock clock) {
    for (Side side : Side.values()) {
      routine[side.ordinal()] = Counter.builder("coordinator_connection_errors")
          .description("Connection failures no request handled: routine resets and closes (counted, not logged), and others")
          .tag("side", side.label).tag("kind", "reset").register(registry);
      unusual[side.ordinal()] = Counter.builder("coordinator_connection_errors")
          .tag("side", side.label).tag("kind", "other").register(registry);
    }
    this.lines = new StateChangeLog(clock);
  }

  /** A connection on {@code side} failed with {@code failure}. */
  public void failed(Side side, Throwable failure) {
    if (isRoutine(failure)) {
      routine[side.ordinal()].increment();
      return;
    }
    unusual[side.ordinal()].increment();
    long heldBack = lines.allow(side.label);
    if (heldBack >= 0) {
      LOG.warn("{} connection failed: {}{}", side.label, failure.toString(), StateChangeLog.heldBackNote(heldBack));
    }
  }

  /** Whether {@code failure} is a peer's reset or close, or a write after one: nothing to look into. */
  static boolean isRoutine(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof HttpClosedException || cause instanceof ClosedChannelException) {
        return true;
      }
      if (cause instanceof IOException && cause.getMessage() != null) {
        String message = cause.getMessage().toLowerCase(Locale.ROOT);
        if (message.contains("connection reset") || message.contains("broken pipe")
            || message.contains("connection aborted") || message.contains("connection was closed")) {
          return true;
        }
      }
    }
    return false;
  }
}
