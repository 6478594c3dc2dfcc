package io.trafficcoordinator.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.trafficcoordinator.config.RouteConfig;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointStats;
import io.trafficcoordinator.http.ProblemType;
import io.trafficcoordinator.plan.ServicePlan;
import io.trafficcoordinator.plan.TrafficPlan;
import io.trafficcoordinator.retry.RetryCause;
import io.trafficcoordinator.time.NanoClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The data plane's Prometheus metrics. Label values come only from configuration (route, service
 * and endpoint names) and fixed lists (status class, problem type), so cardinality is bounded by
 * the configuration; meters of routes and endpoints that a change removes are removed with them.
 * Per-request work is a map lookup and a few lock-free increments; endpoint counters read the
 * endpoints' own stats when scraped.
 */
public final class ProxyMetrics {

  private static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10)};

  private final MeterRegistry registry;
  private final NanoClock clock;
  private final ConnectionErrors connectionErrors;
  private final Map<ProblemType, Counter> problems = new EnumMap<>(ProblemType.class);
  private final Counter unrouted;
  private final Map<String, RouteMeters> routes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlightByService = new ConcurrentHashMap<>();
  private final Map<String, EndpointMeters> endpoints = new HashMap<>();
  private final Map<String, Counter[]> localityByService = new ConcurrentHashMap<>();

  private record RouteMeters(RouteConfig config, Counter[] byStatusClass, Timer duration, Counter[] retries,
      Counter budgetRefusals, Counter[] rateLimit, Counter[] auth) {}

  /** The outcomes of a route's token check, in the order {@link #routeAuth} counts them. */
  private static final String[] AUTH_OUTCOMES = {"verified", "missing", "invalid", "forbidden"};
  /** The index of the {@code code="cut"} series, after the five status classes. */
  private static final int CUT = 5;

  private record EndpointMeters(EndpointStats stats, double cost, List<Meter> meters) {}

  public ProxyMetrics(MeterRegistry registry, NanoClock clock) {
    this.registry = registry;
    this.clock = clock;
    for (ProblemType type : ProblemType.values()) {
      problems.put(type, Counter.builder("coordinator_proxy_errors")
          .description("Requests the proxy answered with its own error, by problem type")
          .tag("type", type.slug()).register(registry));
    }
    unrouted = Counter.builder("coordinator_requests_unrouted")
        .description("Requests refused before a route was chosen").register(registry);
    connectionErrors = new ConnectionErrors(registry, clock);
  }

  /** Where connection failures no request handled are counted (and the unusual ones logged). */
  public ConnectionErrors connectionErrors() {
    return connectionErrors;
  }

  /** The meters of the data listener's client connections, {@code open} of them now. */
  public ClientConnectionMetrics clientConnections(IntSupplier open) {
    return new ClientConnectionMetrics(registry, open);
  }

  /** Registers meters for a new plan's routes and endpoints and removes those it dropped. Not on the hot path. */
  public synchronized void onPlan(TrafficPlan plan) {
    Map<String, RouteConfig> wanted = new HashMap<>();
    plan.config().routes().forEach(r -> wanted.put(r.name(), r));
    routes.entrySet().removeIf(e -> {
      boolean stale = !e.getValue().config().equals(wanted.get(e.getKey()));
      if (stale) {
        remove(e.getValue());
      }
      return stale;
    });
    wanted.forEach((name, config) -> routes.computeIfAbsent(name, n -> routeMeters(config)));

    Map<String, Endpoint> current = new HashMap<>();
    for (ServicePlan service : plan.services().values()) {
      inFlightByService.computeIfAbsent(service.name(), name -> registry.gauge("coordinator_requests_in_flight",
          Tags.of("service", name), new AtomicInteger()));
      for (Endpoint endpoint : service.endpoints().endpoints()) {
        current.put(service.name() + "\n" + endpoint.id(), endpoint);
      }
    }
    endpoints.entrySet().removeIf(e -> {
      Endpoint now = current.get(e.getKey());
      boolean stale = now == null || now.stats() != e.getValue().stats() || now.costPerRequest() != e.getValue().cost();
      if (stale) {
        e.getValue().meters().forEach(registry::remove);
      }
      return stale;
    });
    localityByService.entrySet().removeIf(e -> {
      boolean gone = !plan.services().containsKey(e.getKey());
      if (gone) {
        for (Counter counter : e.getValue()) {
          registry.remove(counter);
        }
      }
      return gone;
    });
    current.forEach((key, endpoint) -> endpoints.computeIfAbsent(key, k -> endpointMeters(k.substring(0, k.indexOf('\n')), endpoint)));
  }

  /**
   * A request from a caller in one of the service's zones went to an endpoint in that zone
   * ({@code local}) or in another; the share kept local is local / (local + remote).
   */
  public void routedByZone(String service, boolean local) {
    localityByService.computeIfAbsent(service, this::localityCounters)[local ? 0 : 1].increment();
  }

  private Counter[] localityCounters(String service) {
    Counter[] counters = new Counter[2];
    for (int i = 0; i < 2; i++) {
      counters[i] = Counter.builder("coordinator_zone_requests")
          .description("Requests from callers in a known zone, by whether they were served in that zone")
          .tag("service", service).tag("locality", i == 0 ? "local" : "remote").register(registry);
    }
    return counters;
  }

  /** Counts an error answered outside any request exchange (for example at the connection level). */
  public void countProblem(ProblemType problem) {
    problems.get(problem).increment();
  }

  /** A request was routed to {@code service} and is now in flight. */
  public void started(String service) {
    AtomicInteger gauge = inFlightByService.get(service);
    if (gauge != null) {
      gauge.incrementAndGet();
    }
  }

  /** Records one finished request; {@code service} non-null means {@link #started} was called for it. */
  public void finished(ExchangeSummary summary, ProblemType problem) {
    if (problem != null) {
      problems.get(problem).increment();
    }
    if (summary.service() != null) {
      AtomicInteger gauge = inFlightByService.get(summary.service());
      if (gauge != null) {
        gauge.decrementAndGet();
      }
    }
    RouteMeters meters = summary.route() == null ? null : routes.get(summary.route());
    if (meters == null) {
      unrouted.increment();
      return;
    }
    meters.byStatusClass()[codeIndex(summary, problem)].increment();
    meters.duration().record(summary.durationNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /**
   * The request's {@code code} series: its status class, or {@code cut} when a problem came after
   * the response had started (the client got a status it did not get the whole answer of: an
   * answer cut mid-body, a request body refused mid-response), so that 2xx never counts those.
   */
  private static int codeIndex(ExchangeSummary summary, ProblemType problem) {
    // A streamed 502 cut midway has the problem's own status: the bytes it sent tell it apart
    // from the proxy's own 502 (an answer the proxy writes itself is counted as no bytes relayed).
    if (problem != null && (summary.status() != problem.status()
        || (problem == ProblemType.UPSTREAM_ANSWER_CUT && summary.responseBytes() > 0))) {
      return CUT;
    }
    return Math.min(5, Math.max(1, summary.status() / 100)) - 1;
  }

  /** A request on {@code route} is being sent again, after a failure of kind {@code cause}. */
  public void retried(String route, RetryCause cause) {
    RouteMeters meters = routes.get(route);
    if (meters != null) {
      meters.retries()[cause.ordinal()].increment();
    }
  }

  /**
   * The token check of {@code route} ended with {@code outcome}: 0 verified, 1 no token, 2 an
   * invalid one, 3 a valid one without the role or scope the route needs.
   */
  public void routeAuth(String route, int outcome) {
    RouteMeters meters = routes.get(route);
    if (meters != null && meters.auth() != null) {
      meters.auth()[outcome].increment();
    }
  }

  /** The rate limit of {@code route} let a request through, or refused it. */
  public void rateLimited(String route, boolean allowed) {
    RouteMeters meters = routes.get(route);
    if (meters != null && meters.rateLimit() != null) {
      meters.rateLimit()[allowed ? 0 : 1].increment();
    }
  }

  /** A retry on {@code route} was refused because the route's retry budget was spent. */
  public void retryRefusedByBudget(String route) {
    RouteMeters meters = routes.get(route);
    if (meters != null) {
      meters.budgetRefusals().increment();
    }
  }

  private RouteMeters routeMeters(RouteConfig route) {
    Tags tags = Tags.of("route", route.name(), "service", route.service());
    Counter[] classes = new Counter[CUT + 1];
    for (int i = 0; i < classes.length; i++) {
      classes[i] = Counter.builder("coordinator_requests")
          .description("Requests served per route, by status class (cut: the answer started and did not end whole)")
          .tags(tags).tag("code", i == CUT ? "cut" : (i + 1) + "xx").register(registry);
    }
    Timer duration = Timer.builder("coordinator_request_duration")
        .description("Time from request received to response sent, per route")
        .tags(tags).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    RetryCause[] causes = RetryCause.values();
    Counter[] retries = new Counter[causes.length];
    for (RetryCause cause : causes) {
      retries[cause.ordinal()] = Counter.builder("coordinator_retries")
          .description("Requests sent again to an endpoint after a failed try, per route and cause")
          .tags(tags).tag("cause", cause.slug()).register(registry);
    }
    Counter refusals = Counter.builder("coordinator_retries_refused")
        .description("Retries not sent because the route's retry budget was spent")
        .tags(tags).tag("reason", "budget").register(registry);
    Counter[] rateLimit = null;
    if (route.rateLimit() != null) {
      rateLimit = new Counter[2];
      for (int i = 0; i < 2; i++) {
        rateLimit[i] = Counter.builder("coordinator_rate_limit_decisions")
            .description("Requests a route's rate limit let through or refused (429)")
            .tags(tags).tag("result", i == 0 ? "allowed" : "limited").register(registry);
      }
    }
    Counter[] auth = null;
    if (route.auth() != null) {
      auth = new Counter[AUTH_OUTCOMES.length];
      for (int i = 0; i < auth.length; i++) {
        auth[i] = Counter.builder("coordinator_route_auth")
            .description("Token checks of routes that require one, by outcome (missing, invalid: 401; forbidden: 403)")
            .tags(tags).tag("result", AUTH_OUTCOMES[i]).register(registry);
      }
    }
    return new RouteMeters(route, classes, duration, retries, refusals, rateLimit, auth);
  }

  private void remove(RouteMeters meters) {
    for (Counter counter : meters.byStatusClass()) {
      registry.remove(counter);
    }
    registry.remove(meters.duration());
    for (Counter counter : meters.retries()) {
      registry.remove(counter);
    }
    registry.remove(meters.budgetRefusals());
    for (Counter[] group : new Counter[][] {meters.rateLimit(), meters.auth()}) {
      if (group != null) {
        for (Counter counter : group) {
          registry.remove(counter);
        }
      }
    }
  }

  private EndpointMeters endpointMeters(String service, Endpoint endpoint) {
    EndpointStats stats = endpoint.stats();
    Tags tags = Tags.of("service", service, "endpoint", endpoint.id());
    List<Meter> meters = new ArrayList<>();
    meters.add(FunctionCounter.builder("coordinator_endpoint_requests", stats, EndpointStats::totalSuccesses)
        .description("Completed requests per endpoint and outcome").tags(tags).tag("outcome", "success").register(registry));
    meters.add(FunctionCounter.builder("coordinator_endpoint_requests", stats, EndpointStats::totalFailures)
        .tags(tags).tag("outcome", "failure").register(registry));
    meters.add(Gauge.builder("coordinator_endpoint_in_flight", stats, EndpointStats::inFlight)
        .description("Requests in flight per endpoint").tags(tags).register(registry));
    meters.add(Gauge.builder("coordinator_endpoint_latency_seconds", stats, s -> s.latencyNanos(clock.nanoTime()) / 1e9)
        .description("Peak-EWMA latency estimate per endpoint (NaN before the first sample)").tags(tags).register(registry));
    double cost = endpoint.costPerRequest();
    // A supplier, held strongly: a gauge over the Endpoint object would read NaN once a reload
    // replaced the record and the old one was collected.
    meters.add(Gauge.builder("coordinator_endpoint_cost_per_request", () -> cost)
        .description("Configured cost of one request per endpoint; with coordinator_endpoint_requests gives cost per 1,000 requests")
        .tags(tags).register(registry));
    return new EndpointMeters(stats, endpoint.costPerRequest(), meters);
  }
}
