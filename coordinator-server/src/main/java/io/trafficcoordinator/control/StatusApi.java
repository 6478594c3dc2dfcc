package io.trafficcoordinator.control;

import io.trafficcoordinator.breaker.CircuitBreaker;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointStats;
import io.trafficcoordinator.plan.ServicePlan;
import io.trafficcoordinator.plan.TrafficPlan;
import io.trafficcoordinator.telemetry.BuildInfo;
import io.trafficcoordinator.time.NanoClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /system-status} and {@code GET /group-integration-status}: what every service and its
 * endpoints are doing now, and a health score with a documented formula (docs/CONTROL_API.md):
 *
 * <pre>
 *   available(e)    = e passes its active checks, is not ejected and its circuit is not open
 *   service score   = round(100 × available endpoints / endpoints × success rate of the last 10 s)
 *                     (success rate 1 when there were no requests)
 *   group score     = the same over all the group's endpoints and requests
 *   overall score   = the mean of the service scores
 *   status          = operational ≥ 90, degraded ≥ 50 with an endpoint available, down otherwise
 * </pre>
 */
final class StatusApi {

  private final Supplier<TrafficPlan> plan;
  private final NanoClock clock;
  private final long startNanos;

  StatusApi(Supplier<TrafficPlan> plan, NanoClock clock, long startNanos) {
    this.plan = plan;
    this.clock = clock;
    this.startNanos = startNanos;
  }

  /** Totals over a set of endpoints, from which scores are made. */
  private static final class Tally {
    int endpoints;
    int available;
    long successes;
    long failures;
    final List<Endpoint> members = new ArrayList<>();

    void add(Endpoint endpoint, long now) {
      EndpointStats stats = endpoint.stats();
      endpoints++;
      if (isAvailable(endpoint, now)) {
        available++;
      }
      successes += stats.windowSuccesses(now);
      failures += stats.windowFailures(now);
      members.add(endpoint);
    }

    Double successRate() {
      long total = successes + failures;
      return total == 0 ? null : successes / (double) total;
    }

    int score() {
      if (endpoints == 0) {
        return 0;
      }
      double rate = successRate() == null ? 1.0 : successRate();
      return (int) Math.round(100.0 * available / endpoints * rate);
    }

    String status() {
      int score = score();
      return score >= 90 ? "operational" : score >= 50 && available > 0 ? "degraded" : "down";
    }

    Double p99Millis(long now) {
      double worst = Double.NaN;
      long count = 0;
      // The p99 of the union needs the merged histogram; the worst endpoint's p99 bounds it from above
      // and is what an operator looks for. Reported as such.
      for (Endpoint endpoint : members) {
        count += endpoint.stats().roundTrips().count(now);
        double p99 = endpoint.stats().roundTrips().quantileNanos(0.99, now);
        if (!Double.isNaN(p99) && (Double.isNaN(worst) || p99 > worst)) {
          worst = p99;
        }
      }
      return count == 0 ? null : Math.round(worst / 1e4) / 100.0;
    }
  }

  static boolean isAvailable(Endpoint endpoint, long now) {
    EndpointStats stats = endpoint.stats();
    CircuitBreaker breaker = stats.breaker();
    return stats.activeHealth().isHealthy() && !stats.isEjected(now) && (breaker == null || !breaker.isOpen(now));
  }

  void systemStatus(RoutingContext ctx) {
    TrafficPlan current = plan.get();
    long now = clock.nanoTime();
    JsonArray services = new JsonArray();
    int scoreSum = 0;
    for (ServicePlan service : sorted(current)) {
      Tally tally = new Tally();
      JsonArray endpoints = new JsonArray();
      for (Endpoint endpoint : service.endpoints().endpoints()) {
        tally.add(endpoint, now);
        endpoints.add(endpoint(endpoint, now));
      }
      scoreSum += tally.score();
      services.add(new JsonObject()
          .put("name", service.name())
          .put("group", service.config().group())
          .put("strategy", service.config().strategy().name())
          .put("healthScore", tally.score())
          .put("status", tally.status())
          .put("availableEndpoints", tally.available)
          .put("successRate", tally.successRate())
          .put("p99Ms", tally.p99Millis(now))
          .put("endpoints", endpoints));
    }
    ConfigApi.json(ctx, 200, new JsonObject()
        .put("build", new JsonObject().put("version", BuildInfo.version()))
        .put("uptimeSeconds", (clock.nanoTime() - startNanos) / 1_000_000_000L)
        .put("configVersion", current.version())
        .put("healthScore", services.isEmpty() ? 100 : Math.round(scoreSum / (double) services.size()))
        .put("services", services));
  }

  private JsonObject endpoint(Endpoint endpoint, long now) {
    EndpointStats stats = endpoint.stats();
    CircuitBreaker breaker = stats.breaker();
    String circuit = breaker == null ? "none" : breaker.isClosed() ? "closed" : breaker.isOpen(now) ? "open" : "half-open";
    long requests = stats.windowSuccesses(now) + stats.windowFailures(now);
    double p99 = stats.roundTrips().quantileNanos(0.99, now);
    JsonObject json = new JsonObject()
        .put("id", endpoint.id())
        .put("url", endpoint.address().toString())
        .put("zone", endpoint.zone())
        .put("tier", endpoint.tier())
        .put("weight", endpoint.configuredWeight())
        .put("health", stats.activeHealth().isHealthy() ? "healthy" : "unhealthy")
        .put("ejected", stats.isEjected(now))
        .put("circuit", circuit)
        .put("available", isAvailable(endpoint, now))
        .put("inFlight", stats.inFlight())
        .put("requests", requests)
        .put("successRate", requests == 0 ? null : stats.windowSuccesses(now) / (double) requests)
        .put("p99Ms", Double.isNaN(p99) ? null : Math.round(p99 / 1e4) / 100.0);
    if (stats.isEjected(now)) {
      json.put("ejectedForSeconds", Math.max(0, (stats.ejectedUntilNanos() - now) / 1_000_000_000L));
    }
    return json;
  }

  void groupIntegrationStatus(RoutingContext ctx) {
    TrafficPlan current = plan.get();
    long now = clock.nanoTime();
    Map<String, List<ServicePlan>> groups = new LinkedHashMap<>();
    for (ServicePlan service : sorted(current)) {
      groups.computeIfAbsent(service.config().group(), g -> new ArrayList<>()).add(service);
    }
    JsonArray list = new JsonArray();
    groups.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(group -> {
      Tally tally = new Tally();
      JsonArray names = new JsonArray();
      for (ServicePlan service : group.getValue()) {
        names.add(service.name());
        service.endpoints().endpoints().forEach(e -> tally.add(e, now));
      }
      list.add(new JsonObject()
          .put("group", group.getKey())
          .put("services", names)
          .put("endpoints", tally.endpoints)
          .put("healthyEndpointRatio", tally.endpoints == 0 ? 0.0 : tally.available / (double) tally.endpoints)
          .put("successRate", tally.successRate())
          .put("p99Ms", tally.p99Millis(now))
          .put("healthScore", tally.score())
          .put("status", tally.status()));
    });
    ConfigApi.json(ctx, 200, new JsonObject().put("configVersion", current.version()).put("groups", list));
  }

  private static List<ServicePlan> sorted(TrafficPlan plan) {
    return plan.services().values().stream().sorted(java.util.Comparator.comparing(ServicePlan::name)).toList();
  }
}
