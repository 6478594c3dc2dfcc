package io.trafficcoordinator.lab.sim;

import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.lab.scenario.EndpointModel;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * A simulated endpoint: {@code concurrency} servers behind one FIFO queue, which can be stalled,
 * killed, slowed down and recovered. Single-threaded, driven by {@link Simulation}.
 */
final class SimEndpoint {

  final EndpointModel model;
  final Endpoint endpoint;
  private final SplittableRandom random;
  private final ArrayDeque<SimRequest> queue = new ArrayDeque<>();
  private final java.util.Set<SimRequest> inService = new java.util.HashSet<>();
  private int busy;
  private double slowFactor = 1.0;
  private boolean down;
  // Virtual time starts at 0, so 0 means "never paused" and differences cannot overflow.
  private long pausedUntilNanos;

  SimEndpoint(EndpointModel model, Endpoint endpoint, long seed) {
    this.model = model;
    this.endpoint = endpoint;
    this.random = new SplittableRandom(seed);
  }

  boolean isDown() {
    return down;
  }

  /** Whether a check sent now would be answered within {@code timeoutNanos}. */
  boolean answersCheck(long now, long timeoutNanos) {
    return !down && pausedUntilNanos - now < timeoutNanos;
  }

  /** A request reaches the endpoint; true if it goes into service now, false if it queues. */
  boolean admit(SimRequest request) {
    if (busy < model.concurrency()) {
      busy++;
      inService.add(request);
      return true;
    }
    queue.addLast(request);
    return false;
  }

  /** When a request taken into service at {@code now} completes. */
  long completionTime(long now) {
    long start = Math.max(now, pausedUntilNanos);
    return start + (long) (model.serviceTime().sampleNanos(random) * slowFactor);
  }

  /**
   * A request in service finished (answered, or its client gave up but the server kept working);
   * frees its server and returns the next queued request still worth serving, now in service, or
   * null.
   */
  SimRequest release(SimRequest done) {
    if (!inService.remove(done)) {
      // Lost in a kill: its server was freed then.
      return null;
    }
    busy--;
    while (!queue.isEmpty()) {
      SimRequest next = queue.pollFirst();
      if (!next.finished) {
        busy++;
        inService.add(next);
        return next;
      }
    }
    return null;
  }

  /**
   * Freezes the endpoint until {@code now + durationNanos}. Work in progress stops too: every request
   * in service owes the added pause (a stall overlapping one already running adds only its excess),
   * and its completion is pushed back by that much when it comes due.
   */
  void stall(long now, long durationNanos) {
    long until = Math.max(pausedUntilNanos, now + durationNanos);
    long added = until - Math.max(pausedUntilNanos, now);
    for (SimRequest request : inService) {
      request.stallDebtNanos += added;
    }
    pausedUntilNanos = until;
  }

  void slowDown(double factor) {
    slowFactor = factor;
  }

  /** Dies: returns every request it held, in service or queued, for the caller to fail. */
  java.util.List<SimRequest> kill() {
    down = true;
    java.util.List<SimRequest> lost = new java.util.ArrayList<>(inService);
    lost.addAll(queue);
    inService.clear();
    queue.clear();
    busy = 0;
    return lost;
  }

  void recover() {
    down = false;
    slowFactor = 1.0;
    pausedUntilNanos = 0L;
  }
}
