package io.trafficcoordinator.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The breaker's state machine on a fake timeline. */
class CircuitBreakerTest {

  private static final long MS = 1_000_000L;
  private static final BreakerConfig CONFIG =
      new BreakerConfig(true, 50, 80, Duration.ofMillis(500), 10, Duration.ofSeconds(2), 3);

  private final List<String> transitions = new ArrayList<>();
  private final CircuitBreaker breaker = new CircuitBreaker(CONFIG, new CircuitBreaker.Listener() {
    @Override
    public void opened(double failureRate, double slowRate) {
      transitions.add("open " + Math.round(failureRate) + "% failed " + Math.round(slowRate) + "% slow");
    }

    @Override
    public void halfOpen() {
      transitions.add("half-open");
    }

    @Override
    public void closed() {
      transitions.add("closed");
    }
  });

  @Test
  void aFlappingEndpointOpensThenRecoversThroughHalfOpen() {
    long now = 0;
    // Fewer calls than the minimum: no verdict, whatever the rate.
    for (int i = 0; i < 9; i++) {
      breaker.onResult(false, 10 * MS, now);
    }
    assertThat(breaker.isClosed()).isTrue();
    // The tenth call: 100 % failed over the window.
    breaker.onResult(true, 10 * MS, now);
    assertThat(transitions).containsExactly("open 90% failed 0% slow");
    assertThat(breaker.admit(now + 1_999 * MS)).isFalse();

    // The wait is over: three trials go through, a fourth does not.
    long later = now + 2_000 * MS;
    assertThat(breaker.admit(later)).isTrue();
    assertThat(breaker.admit(later)).isTrue();
    assertThat(breaker.admit(later)).isTrue();
    assertThat(breaker.admit(later)).isFalse();
    assertThat(transitions).containsExactly("open 90% failed 0% slow", "half-open");

    // All three succeed: closed, with a fresh window.
    for (int i = 0; i < 3; i++) {
      breaker.onResult(true, 10 * MS, later);
    }
    assertThat(transitions).endsWith("closed");
    assertThat(breaker.isClosed()).isTrue();
    breaker.onResult(false, 10 * MS, later);
    assertThat(breaker.isClosed()).as("one failure in a fresh window").isTrue();
  }

  @Test
  void aFailedTrialReopens() {
    for (int i = 0; i < 10; i++) {
      breaker.onResult(false, 10 * MS, 0);
    }
    long later = 2_000 * MS;
    assertThat(breaker.admit(later)).isTrue();
    breaker.onResult(false, 10 * MS, later);

    assertThat(transitions).containsExactly("open 100% failed 0% slow", "half-open", "open 100% failed 0% slow");
    assertThat(breaker.isOpen(later + 1_999 * MS)).isTrue();
    assertThat(breaker.isOpen(later + 2_000 * MS)).isFalse();
  }

  @Test
  void slowCallsOpenItToo() {
    for (int i = 0; i < 10; i++) {
      breaker.onResult(true, i < 8 ? 600 * MS : 10 * MS, 0);
    }
    assertThat(transitions).containsExactly("open 0% failed 80% slow");
  }

  @Test
  void resultsOfRequestsStartedBeforeItOpenedDoNotCountWhileOpen() {
    for (int i = 0; i < 10; i++) {
      breaker.onResult(false, 10 * MS, 0);
    }
    for (int i = 0; i < 20; i++) {
      breaker.onResult(true, 10 * MS, 100 * MS);
    }
    assertThat(breaker.isOpen(100 * MS)).isTrue();
    assertThat(transitions).hasSize(1);
  }
}
