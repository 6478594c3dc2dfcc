package io.trafficcoordinator.lab.sim;

import io.trafficcoordinator.balance.Selection;

/** One simulated request on its way through an endpoint. */
final class SimRequest {

  final long arrivalNanos;
  final Selection selection;
  final boolean local;
  final boolean measured;
  /** Set once the request has succeeded, failed or timed out; later events for it do nothing. */
  boolean finished;
  /** Time its endpoint spent stalled while serving it, still to be added to its completion. */
  long stallDebtNanos;

  SimRequest(long arrivalNanos, Selection selection, boolean local, boolean measured) {
    this.arrivalNanos = arrivalNanos;
    this.selection = selection;
    this.local = local;
    this.measured = measured;
  }
}
