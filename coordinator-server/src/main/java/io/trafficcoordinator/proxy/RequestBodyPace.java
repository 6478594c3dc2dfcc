package io.trafficcoordinator.proxy;

import io.trafficcoordinator.config.LimitsConfig;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The slowest a request body may arrive (the slow-POST or "RUDY" attack holds a connection, and a
 * slot at the endpoint, by trickling a body a byte at a time; the idle timeout never fires, since
 * something always arrives). Two checks, each off when its setting is zero:
 *
 * <ul>
 *   <li>rate: at least {@code limits.minBodyBytes} in every {@code limits.bodyRateWindow} of
 *       reading, until the body ends. Only time the proxy spends reading counts: the first window
 *       opens when the proxy starts reading the body (an endpoint connection is ready, and a client
 *       that asked for {@code 100 Continue} has been sent it), a window that ends while the proxy
 *       holds the body back (the endpoint not taking bytes as fast as they come) is not judged, and
 *       a new one opens when it takes bytes again;
 *   <li>deadline: the whole body within the route's {@code bodyTimeout} of the proxy starting to
 *       read it.
 * </ul>
 *
 * <p>At most two Vert.x timers per request with a body (none for one without), on the exchange's
 * event loop; {@link #stop} cancels them.
 */
final class RequestBodyPace {

  private final Vertx vertx;
  private final long minBytes;
  private final Duration window;
  private final Duration deadline;
  private final LongSupplier bytesRead;
  private final BooleanSupplier heldBack;
  private final Consumer<String> tooSlow;
  private long windowTimer = -1;
  private long deadlineTimer = -1;
  private long bytesAtWindowStart;
  private boolean stopped;

  /**
   * @param bytesRead body bytes read from the client so far
   * @param heldBack whether the proxy is holding the body back now
   * @param tooSlow told, once, why the body is too slow
   */
  RequestBodyPace(Vertx vertx, LimitsConfig limits, Duration deadline, LongSupplier bytesRead, BooleanSupplier heldBack,
      Consumer<String> tooSlow) {
    this.vertx = vertx;
    this.minBytes = limits.minBodyBytes();
    this.window = limits.bodyRateWindow();
    this.deadline = deadline;
    this.bytesRead = bytesRead;
    this.heldBack = heldBack;
    this.tooSlow = tooSlow;
  }

  /**
   * The proxy reads the body (again): a new window opens; the first call also starts the deadline.
   */
  void reading() {
    if (stopped) {
      return;
    }
    if (minBytes > 0) {
      if (windowTimer != -1) {
        vertx.cancelTimer(windowTimer);
      }
      bytesAtWindowStart = bytesRead.getAsLong();
      windowTimer = vertx.setPeriodic(window.toMillis(), tick -> windowEnded());
    }
    if (!deadline.isZero() && deadlineTimer == -1) {
      deadlineTimer = vertx.setTimer(deadline.toMillis(), due -> slow("the request body did not arrive within the"
          + " route's bodyTimeout of " + deadline.toMillis() + " ms"));
    }
  }

  private void windowEnded() {
    long now = bytesRead.getAsLong();
    long arrived = now - bytesAtWindowStart;
    bytesAtWindowStart = now;
    if (arrived < minBytes && !heldBack.getAsBoolean()) {
      slow("the request body arrives too slowly: " + arrived + " bytes in " + window.toMillis() + " ms, at least "
          + minBytes + " are needed");
    }
  }

  private void slow(String why) {
    stop();
    tooSlow.accept(why);
  }

  /** The body ended, or the exchange did: no more checks. */
  void stop() {
    stopped = true;
    if (windowTimer != -1) {
      vertx.cancelTimer(windowTimer);
      windowTimer = -1;
    }
    if (deadlineTimer != -1) {
      vertx.cancelTimer(deadlineTimer);
      deadlineTimer = -1;
    }
  }
}
