package io.trafficcoordinator.health;

import io.trafficcoordinator.balance.BalancerEvents;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.outlier.EjectionReason;
import io.trafficcoordinator.telemetry.EndpointStateMetrics;
import io.trafficcoordinator.telemetry.StateChangeLog;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the balancers' endpoint state changes (outlier ejections, stalls, circuit breakers) the way every state change is
 * reported: one log line, a counter, and an event on {@link ActiveHealthChecks#EVENTS}. Called on
 * the event loop of the request that triggered it; logging is asynchronous, nothing blocks.
 */
public final class EndpointEvents implements BalancerEvents {

  private static final Logger LOG = LoggerFactory.getLogger("outlier");

  private final Vertx vertx;
  private final EndpointStateMetrics metrics;
  private final StateChangeLog lines;

  /** @param lines how often a line about one endpoint may be written (events and metrics are never held back) */
  public EndpointEvents(Vertx vertx, EndpointStateMetrics metrics, StateChangeLog lines) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.lines = lines;
  }

  /** Whether a line about {@code endpoint} may be written; -1 when not, else how many were held back. */
  private long line(String service, Endpoint endpoint) {
    return lines.allow(service + "/" + endpoint.id());
  }

  @Override
  public void ejected(String service, Endpoint endpoint, long forNanos, int times, EjectionReason reason) {
    metrics.ejected();
    long heldBack = line(service, endpoint);
    if (heldBack >= 0) {
      LOG.warn("endpoint {} of service {} ejected for {} s after {} (ejection {} running){}",
          endpoint.id(), service, forNanos / 1_000_000_000L, reason.description(), times, StateChangeLog.heldBackNote(heldBack));
    }
    vertx.eventBus().publish(ActiveHealthChecks.EVENTS, new JsonObject()
        .put("type", "endpoint-ejected").put("service", service).put("endpoint", endpoint.id())
        .put("reason", reason.slug()).put("seconds", forNanos / 1_000_000_000L).put("times", times));
  }

  @Override
  public void stalled(String service, Endpoint endpoint, long silentNanos, int waiting) {
    metrics.stalled();
    long heldBack = line(service, endpoint);
    if (heldBack >= 0) {
      LOG.warn("endpoint {} of service {} stalled: no answer for {} ms with {} requests waiting while the others"
          + " answer; it gets no requests until it answers, and its waiting requests are sent elsewhere where"
          + " they may be{}", endpoint.id(), service, silentNanos / 1_000_000L, waiting, StateChangeLog.heldBackNote(heldBack));
    }
    vertx.eventBus().publish(ActiveHealthChecks.EVENTS, new JsonObject()
        .put("type", "endpoint-stalled").put("service", service).put("endpoint", endpoint.id())
        .put("silentMs", silentNanos / 1_000_000L).put("waiting", waiting));
  }

  @Override
  public void stallEnded(String service, Endpoint endpoint) {
    metrics.stallEnded();
    long heldBack = line(service, endpoint);
    if (heldBack >= 0) {
      LOG.info("endpoint {} of service {} is no longer stalled: it answers again or owes nothing{}", endpoint.id(),
          service, StateChangeLog.heldBackNote(heldBack));
    }
    publish("endpoint-answering", service, endpoint);
  }

  @Override
  public void circuitOpened(String service, Endpoint endpoint, double failureRate, double slowRate) {
    metrics.circuitOpened();
    long heldBack = line(service, endpoint);
    if (heldBack >= 0) {
      LOG.warn("circuit of endpoint {} of service {} opened ({}% of recent calls failed, {}% slow); it gets no "
          + "requests until its wait is over{}", endpoint.id(), service, Math.round(failureRate), Math.round(slowRate),
          StateChangeLog.heldBackNote(heldBack));
    }
    publish("circuit-opened", service, endpoint);
  }

  @Override
  public void circuitHalfOpen(String service, Endpoint endpoint) {
    metrics.circuitHalfOpen();
    long heldBack = line(service, endpoint);
    if (heldBack >= 0) {
      LOG.info("circuit of endpoint {} of service {} is half-open: trial requests go through{}", endpoint.id(), service,
          StateChangeLog.heldBackNote(heldBack));
    }
    publish("circuit-half-open", service, endpoint);
  }

  @Override
  public void circuitClosed(String service, Endpoint endpoint) {
    metrics.circuitClosed();
    long heldBack = line(service, endpoint);
    if (heldBack >= 0) {
      LOG.info("circuit of endpoint {} of service {} closed: its trial requests succeeded{}", endpoint.id(), service,
          StateChangeLog.heldBackNote(heldBack));
    }
    publish("circuit-closed", service, endpoint);
  }

  private void publish(String type, String service, Endpoint endpoint) {
    vertx.eventBus().publish(ActiveHealthChecks.EVENTS, new JsonObject()
        .put("type", type).put("service", service).put("endpoint", endpoint.id()));
  }

  @Override
  public void restored(String service, Endpoint endpoint) {
    metrics.restored();
    long heldBack = line(service, endpoint);
    if (heldBack >= 0) {
      LOG.info("endpoint {} of service {} is back from ejection{}", endpoint.id(), service, StateChangeLog.heldBackNote(heldBack));
    }
    vertx.eventBus().publish(ActiveHealthChecks.EVENTS, new JsonObject()
        .put("type", "endpoint-restored").put("service", service).put("endpoint", endpoint.id()));
  }
}
