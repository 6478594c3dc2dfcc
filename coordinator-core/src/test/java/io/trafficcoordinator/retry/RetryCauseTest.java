package io.trafficcoordinator.retry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryCauseTest {

  @Test
  void safeAndIdempotentMethodsMayBeSentTwiceOthersOnlyWithAnIdempotencyKey() {
    for (String method : new String[] {"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"}) {
      assertThat(RetryCause.isIdempotent(method, false)).as(method).isTrue();
    }
    assertThat(RetryCause.isIdempotent("POST", false)).isFalse();
    assertThat(RetryCause.isIdempotent("PATCH", false)).isFalse();
    assertThat(RetryCause.isIdempotent("POST", true)).isTrue();
  }

  @Test
  void onlyAFailedConnectionProvesTheRequestNeverLeft() {
    assertThat(RetryCause.CONNECT_FAILURE.neverReached()).isTrue();
    assertThat(RetryCause.RESET.neverReached()).isFalse();
    assertThat(RetryCause.TIMEOUT.neverReached()).isFalse();
    assertThat(RetryCause.STATUS.neverReached()).isFalse();
  }

  @Test
  void theDefaultsRetryFailedConnectionsResetsTimeoutsAndGatewayErrors() {
    RetryConfig config = RetryConfig.DEFAULT;
    assertThat(RetryCause.CONNECT_FAILURE.retriedBy(config, 0)).isTrue();
    assertThat(RetryCause.RESET.retriedBy(config, 0)).isTrue();
    assertThat(RetryCause.TIMEOUT.retriedBy(config, 0)).isTrue();
    assertThat(RetryCause.STATUS.retriedBy(config, 503)).isTrue();
    assertThat(RetryCause.STATUS.retriedBy(config, 500)).isFalse();
    assertThat(RetryCause.STATUS.retriedBy(config, 429)).isFalse();
  }
}
