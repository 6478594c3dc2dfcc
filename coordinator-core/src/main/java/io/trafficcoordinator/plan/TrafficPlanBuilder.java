package io.trafficcoordinator.plan;

import io.trafficcoordinator.balance.BalancerEvents;
import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.balance.service.ServiceBalancer;
import io.trafficcoordinator.breaker.BreakerConfig;
import io.trafficcoordinator.breaker.CircuitBreaker;
import io.trafficcoordinator.config.CoordinatorConfig;
import io.trafficcoordinator.config.EndpointConfig;
import io.trafficcoordinator.config.RouteConfig;
import io.trafficcoordinator.config.ServiceConfig;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.EndpointStats;
import io.trafficcoordinator.endpoint.EndpointStatsRegistry;
import io.trafficcoordinator.endpoint.StatsSettings;
import io.trafficcoordinator.limit.ConcurrencyLimitConfig;
import io.trafficcoordinator.limit.ServiceLimiter;
import io.trafficcoordinator.limit.VegasLimit;
import io.trafficcoordinator.outlier.Ejections;
import io.trafficcoordinator.ratelimit.RateLimitConfig;
import io.trafficcoordinator.ratelimit.RateLimitStore;
import io.trafficcoordinator.ratelimit.RateLimiter;
import io.trafficcoordinator.retry.RetryBudget;
import io.trafficcoordinator.route.Route;
import io.trafficcoordinator.route.RouteTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles configurations into {@link TrafficPlan}s, carrying each endpoint's live stats from one
 * plan to the next: an endpoint kept by a change (same service, same id) keeps its
 * {@link io.trafficcoordinator.endpoint.EndpointStats}; a removed one is forgotten.
 *
 * <p>Not thread-safe: configuration changes are applied one at a time, and the caller serialises
 * them (the latest wins).
 */
public final class TrafficPlanBuilder {

  private final BalancingContext balancing;
  private final StatsSettings statsSettings;
  private final Map<String, EndpointStatsRegistry> statsByService = new HashMap<>();
  private final Map<String, ServicePlan> previous = new HashMap<>();
  private final Map<String, ServiceLimiter> limiters = new HashMap<>();
  private final Map<String, RetryBudget> retryBudgets = new HashMap<>();
  private final Map<String, KeptRateLimits> rateLimits = new HashMap<>();
  private long builds;

  public TrafficPlanBuilder(BalancingContext balancing, StatsSettings statsSettings) {
    this.balancing = balancing;
    this.statsSettings = statsSettings;
  }

  /** A plan for {@code config}, labelled with the configuration {@code version}. */
  public TrafficPlan build(long version, CoordinatorConfig config) {
    long setVersion = ++builds;
    Map<String, ServicePlan> services = new HashMap<>();
    for (ServiceConfig service : config.services()) {
      services.put(service.name(), buildService(service, setVersion));
    }
    statsByService.keySet().retainAll(services.keySet());
    limiters.keySet().retainAll(services.keySet());
    previous.clear();
    previous.putAll(services);
    RouteTable routes = new RouteTable(config.routes(), c -> new Route(c, retryBudgetFor(c), rateLimitsFor(c)));
    List<String> routeNames = config.routes().stream().map(RouteConfig::name).toList();
    retryBudgets.keySet().retainAll(routeNames);
    rateLimits.keySet().retainAll(routeNames);
    return new TrafficPlan(version, config, routes, services);
  }

  /**
   * The route's retry budget: the one it had, so that a change does not hand out a fresh window of
   * retries in the middle of an outage, unless its budget settings changed.
   */
  private RetryBudget retryBudgetFor(RouteConfig route) {
    RetryBudget kept = retryBudgets.get(route.name());
    if (kept != null && kept.config().equals(route.retries().budget())) {
      return kept;
    }
    RetryBudget fresh = new RetryBudget(route.retries().budget(), balancing.clock().nanoTime());
    retryBudgets.put(route.name(), fresh);
    return fresh;
  }

  /**
   * The route's rate-limit buckets: the ones it had while its limit is unchanged, so that a change
   * elsewhere does not hand every caller a fresh burst.
   */
  private RateLimitStore rateLimitsFor(RouteConfig route) {
    RateLimitConfig limit = route.rateLimit();
    if (limit == null) {
      rateLimits.remove(route.name());
      return null;
    }
    KeptRateLimits kept = rateLimits.get(route.name());
    if (kept != null && kept.config().equals(limit)) {
      return kept.store();
    }
    RateLimiter fresh = new RateLimiter(limit.intervalNanos(), limit.burst(), limit.maxKeys());
    rateLimits.put(route.name(), new KeptRateLimits(limit, fresh));
    return fresh;
  }

  private record KeptRateLimits(RateLimitConfig config, RateLimitStore store) {}

  private ServicePlan buildService(ServiceConfig service, long setVersion) {
    boolean existing = statsByService.containsKey(service.name());
    EndpointStatsRegistry registry = statsByService.computeIfAbsent(service.name(), n -> new EndpointStatsRegistry(statsSettings));
    List<Endpoint> endpoints = new ArrayList<>(service.endpoints().size());
    List<String> ids = new ArrayList<>();
    long now = balancing.clock().nanoTime();
    for (EndpointConfig e : service.endpoints()) {
      boolean joining = existing && !registry.contains(e.id());
      EndpointStats stats = registry.statsFor(e.id());
      if (joining) {
        // Added to a service already taking traffic: slow start ramps it up from now.
        stats.markAvailable(now);
      }
      Endpoint endpoint = new Endpoint(e.id(), e.address(), e.weight(), e.zone(), e.tier(), e.costPerRequest(), stats);
      installBreaker(service, endpoint);
      endpoints.add(endpoint);
      ids.add(e.id());
    }
    registry.retainOnly(ids);
    EndpointSet set = new EndpointSet(setVersion, endpoints);
    // The same strategy settings keep the same strategy instance, and with it what the strategy
    // learned about the service (smoothed weights, measured demand per zone).
    ServicePlan before = previous.get(service.name());
    Strategy strategy = before != null && before.config().strategy().equals(service.strategy())
        ? before.strategy()
        : service.strategy().create(balancing);
    Ejections ejections = service.outliers().enabled() ? new Ejections(service.outliers()) : null;
    return new ServicePlan(service, new ServiceBalancer(service.name(), strategy, set,
        ServiceBalancer.DEFAULT_PANIC_THRESHOLD, ejections, balancing), limiter(service));
  }

  /** Gives the endpoint the service's circuit breaker; one with the same settings is kept, state and all. */
  private void installBreaker(ServiceConfig service, Endpoint endpoint) {
    BreakerConfig config = service.breaker();
    CircuitBreaker current = endpoint.stats().breaker();
    if (!config.enabled()) {
      endpoint.stats().installBreaker(null);
    } else if (current == null || !current.config().equals(config)) {
      String name = service.name();
      BalancerEvents events = balancing.events();
      endpoint.stats().installBreaker(new CircuitBreaker(config, new CircuitBreaker.Listener() {
        @Override
        public void opened(double failureRate, double slowRate) {
          events.circuitOpened(name, endpoint, failureRate, slowRate);
        }

        @Override
        public void halfOpen() {
          events.circuitHalfOpen(name, endpoint);
        }

        @Override
        public void closed() {
          events.circuitClosed(name, endpoint);
        }
      }));
    }
  }

  /** The service's limiter, kept across changes while its limit settings stay the same. */
  private ServiceLimiter limiter(ServiceConfig service) {
    ConcurrencyLimitConfig config = service.concurrencyLimit();
    ServicePlan before = previous.get(service.name());
    if (!config.enabled()) {
      limiters.remove(service.name());
      return null;
    }
    if (before == null || !config.equals(before.config().concurrencyLimit())) {
      limiters.put(service.name(), new ServiceLimiter(new VegasLimit(config.initialLimit(), config.minLimit(), config.maxLimit())));
    }
    return limiters.get(service.name());
  }
}
