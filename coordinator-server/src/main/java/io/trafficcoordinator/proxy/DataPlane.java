package io.trafficcoordinator.proxy;

import io.trafficcoordinator.random.Rng;
import io.trafficcoordinator.security.TokenVerifier;
import io.trafficcoordinator.telemetry.ProxyMetrics;
import io.trafficcoordinator.telemetry.StateChangeLog;
import io.trafficcoordinator.time.NanoClock;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What every proxy event loop shares: the current plan, metrics, the clock, the random source of
 * retry backoff jitter and the count of open client connections. Thread-safe.
 */
public final class DataPlane {

  private final Vertx vertx;
  private final AtomicReference<ActivePlan> active;
  private final ProxyMetrics metrics;
  private final NanoClock clock;
  private final Rng jitter;
  private final ClientConnections connections;
  private final Supplier<TokenVerifier> tokens;
  private final StateChangeLog stateLog;

  /** @param tokens the verifier of the moment ({@code security.jwt}, replaced when keys rotate) */
  public DataPlane(Vertx vertx, ActivePlan initial, ProxyMetrics metrics, NanoClock clock, Rng jitter,
      Supplier<TokenVerifier> tokens) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.stateLog = new StateChangeLog(clock);
    this.active = new AtomicReference<>(initial);
    this.metrics = metrics;
    this.clock = clock;
    this.jitter = jitter;
    this.connections = new ClientConnections(this);
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The plan new requests are served with. */
  public ActivePlan active() {
    return active.get();
  }

  /** Publishes a new plan; returns the previous one. Requests in flight finish on theirs. */
  public ActivePlan publish(ActivePlan next) {
    return active.getAndSet(next);
  }

  public ProxyMetrics metrics() {
    return metrics;
  }

  public NanoClock clock() {
    return clock;
  }

  /** Where retry backoff draws its jitter; thread-safe. */
  public Rng jitter() {
    return jitter;
  }

  /** Checks the tokens of routes that require one. */
  public TokenVerifier tokens() {
    return tokens.get();
  }

  /** How often the data plane's state-change lines (retry budgets) may be written. */
  public StateChangeLog stateLog() {
    return stateLog;
  }

  public ClientConnections connections() {
    return connections;
  }
}
