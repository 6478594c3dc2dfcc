package io.trafficcoordinator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ActiveHealthTest {

  @Test
  void startsHealthyWithAFullScore() {
    ActiveHealth health = new ActiveHealth();
    assertThat(health.isHealthy()).isTrue();
    assertThat(health.score()).isEqualTo(1.0);
  }

  /** Healthy → unhealthy after exactly unhealthyThreshold consecutive failures; a pass in between resets the streak. */
  @Test
  void flipsOnlyAfterConsecutiveResultsReachTheThreshold() {
    ActiveHealth health = new ActiveHealth();
    assertThat(health.record(false, 2, 3)).isFalse();
    assertThat(health.record(false, 2, 3)).isFalse();
    assertThat(health.record(true, 2, 3)).isFalse();
    assertThat(health.record(false, 2, 3)).isFalse();
    assertThat(health.record(false, 2, 3)).isFalse();
    assertThat(health.record(false, 2, 3)).as("third consecutive failure").isTrue();
    assertThat(health.isHealthy()).isFalse();

    assertThat(health.record(true, 2, 3)).isFalse();
    assertThat(health.record(true, 2, 3)).as("second consecutive pass").isTrue();
    assertThat(health.isHealthy()).isTrue();
  }

  /** The score is the share of the last eight checks passed. */
  @Test
  void scoreCoversTheLastEightChecks() {
    ActiveHealth health = new ActiveHealth();
    health.record(true, 1, 100);
    health.record(false, 1, 100);
    assertThat(health.score()).isEqualTo(0.5);
    for (int i = 0; i < 8; i++) {
      health.record(false, 1, 100);
    }
    assertThat(health.score()).isZero();
    for (int i = 0; i < 6; i++) {
      health.record(true, 1, 100);
    }
    assertThat(health.score()).isEqualTo(6 / 8.0);
  }
}
