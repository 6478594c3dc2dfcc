package io.trafficcoordinator.balance;

import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One service's balancing: which of its endpoints are eligible, and the strategy's picker over
 * them.
 *
 * <p>Eligibility comes before the strategy (DESIGN's order of decisions): an endpoint its active
 * health checks call unhealthy is left out of the snapshot the strategy sees. When fewer than the
 * panic threshold of the endpoints are eligible, all of them are handed to the strategy instead
 * (Envoy's panic mode): with most of a fleet marked down, the health signal is more likely wrong
 * than the fleet dead, and the few left would be crushed.
 *
 * <p>{@link #pick} reads one atomic reference; {@link #refresh} rebuilds the picker off the hot
 * path and is called by whatever changes eligibility (a health-check transition).
 */
public final class ServiceBalancer {

  /** Envoy's default: below half the endpoints eligible, use them all. */
  public static final double DEFAULT_PANIC_THRESHOLD = 0.5;

  private final Strategy strategy;
  private final EndpointSet endpoints;
  private final double panicThreshold;
  private final AtomicReference<Picker> picker = new AtomicReference<>();
  private volatile boolean panicking;

  public ServiceBalancer(Strategy strategy, EndpointSet endpoints, double panicThreshold) {
    this.strategy = strategy;
    this.endpoints = endpoints;
    this.panicThreshold = panicThreshold;
    refresh();
  }

  /** Chooses an endpoint for one request; see {@link Picker#pick}. */
  public Selection pick(RequestContext context) {
    return picker.get().pick(context);
  }

  /**
   * Rebuilds the picker from the endpoints' current eligibility. Never blocks on I/O. Refreshes are
   * serialised (the lock is never taken on the request path): otherwise a refresh that read an older
   * state could publish after a newer one, and since refreshes only follow transitions, nothing would
   * correct it.
   */
  public synchronized void refresh() {
    List<Endpoint> eligible = new ArrayList<>(endpoints.size());
    for (Endpoint endpoint : endpoints.endpoints()) {
      if (endpoint.stats().activeHealth().isHealthy()) {
        eligible.add(endpoint);
      }
    }
    boolean panic = eligible.size() < panicThreshold * endpoints.size();
    EndpointSet view = panic || eligible.size() == endpoints.size()
        ? endpoints
        : endpoints.eligibleView(eligible);
    panicking = panic && !endpoints.isEmpty();
    picker.set(strategy.newPicker(view));
  }

  /** Whether too few endpoints are eligible and all of them are being used. */
  public boolean isPanicking() {
    return panicking;
  }

  public Strategy strategy() {
    return strategy;
  }

  /** Every endpoint of the service, eligible or not. */
  public EndpointSet endpoints() {
    return endpoints;
  }
}
