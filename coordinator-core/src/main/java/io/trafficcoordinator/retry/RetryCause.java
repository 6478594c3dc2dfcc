package io.trafficcoordinator.retry;

import java.util.Set;

/** Why a try failed, as far as retrying is concerned. */
public enum RetryCause {
  /** No connection to the endpoint could be made, or none became free: the request never left. */
  CONNECT_FAILURE("connect-failure"),
  /** The connection failed or closed before the response headers. */
  RESET("reset"),
  /** The try's own timeout ran out before the response headers. */
  TIMEOUT("timeout"),
  /** The endpoint answered with a status the route retries on. */
  STATUS("status"),
  /** The answer was cut before its end while it was held back, before any of it reached the client. */
  CUT_ANSWER("cut-answer"),
  /** The endpoint was found stalled (silent while its peers answer) while the try waited for its answer. */
  STALLED("stalled");

  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

  private final String slug;

  RetryCause(String slug) {
    this.slug = slug;
  }

  public String slug() {
    return slug;
  }

  /** Whether the request provably never reached the endpoint, so that any method may be retried. */
  public boolean neverReached() {
    return this == CONNECT_FAILURE;
  }

  /** Whether {@code config} retries on this cause ({@code status} is read for {@link #STATUS}). */
  public boolean retriedBy(RetryConfig config, int status) {
    return switch (this) {
      case CONNECT_FAILURE -> config.onConnectFailure();
      case RESET, CUT_ANSWER -> config.onReset();
      case TIMEOUT, STALLED -> config.onTimeout();
      case STATUS -> config.onStatuses().contains(status);
    };
  }

  /**
   * Whether a request may be sent twice without changing what it does: an idempotent method (RFC
   * 9110 §9.2.2), or a request the client marked with an {@code Idempotency-Key}.
   */
  public static boolean isIdempotent(String method, boolean hasIdempotencyKey) {
    return hasIdempotencyKey || IDEMPOTENT.contains(method);
  }
}
