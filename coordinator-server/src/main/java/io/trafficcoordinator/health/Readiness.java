package io.trafficcoordinator.health;

/**
 * Whether the process should receive traffic. Starts {@link State#STARTING}; becomes
 * {@link State#READY} once the configuration is loaded and both listeners are bound; becomes
 * {@link State#DRAINING} when shutdown begins. Thread-safe.
 */
public final class Readiness {

  public enum State { STARTING, READY, DRAINING }

  private volatile State state = State.STARTING;

  public State state() {
    return state;
  }

  public boolean isReady() {
    return state == State.READY;
  }

  public void ready() {
    if (state == State.STARTING) {
      state = State.READY;
    }
  }

  public void draining() {
    state = State.DRAINING;
  }
}
