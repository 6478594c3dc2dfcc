package io.trafficcoordinator.lab.scenario;

import java.util.List;

/**
 * Something that happens to endpoints during a run.
 *
 * @param atFraction when, as a fraction of the run (0..1); used when {@code atNanos} is negative
 * @param atNanos when, as a time from the start of the run; -1 when given as a fraction
 * @param action what happens
 * @param endpoints the ids it happens to (a zone selector is expanded when the scenario is read)
 * @param durationNanos how long a stall lasts
 * @param factor how much slower a slow-down makes service times
 * @param everyNanos for a repeating event, the period; 0 for once
 */
public record TimedEvent(double atFraction, long atNanos, Action action, List<String> endpoints, long durationNanos, double factor, long everyNanos) {

  public enum Action {
    /** The endpoint freezes (a GC pause): nothing in it progresses until the stall ends. */
    STALL,
    /** The endpoint dies: requests in it fail, new ones are refused at once. */
    KILL,
    /** Service times are multiplied by the factor from now on. */
    SLOW_DOWN,
    /** The endpoint is back up at its normal speed. */
    RECOVER
  }

  public TimedEvent {
    endpoints = List.copyOf(endpoints);
  }

  /** When the event first happens in a run of {@code durationNanos}. */
  public long startNanos(long durationNanos) {
    return atNanos >= 0 ? atNanos : (long) (atFraction * durationNanos);
  }
}
