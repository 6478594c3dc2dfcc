package io.trafficcoordinator.proxy;

import io.trafficcoordinator.plan.TrafficPlan;
import io.trafficcoordinator.telemetry.AccessLog;

/**
 * What the data plane serves with right now: the traffic plan, the upstream client built for its
 * limits and its access log setting. Published whole through one atomic reference; a request keeps
 * the one it started with.
 */
public record ActivePlan(TrafficPlan plan, UpstreamClient upstream, AccessLog accessLog) {}
