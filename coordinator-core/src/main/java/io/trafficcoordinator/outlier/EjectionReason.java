package io.trafficcoordinator.outlier;

/** Which detector ejected an endpoint. */
public enum EjectionReason {
  CONSECUTIVE_FAILURES("consecutive-failures", "failing its requests in a row"),
  SUCCESS_RATE("success-rate", "a success rate well below the other endpoints'"),
  FAILURE_PERCENTAGE("failure-percentage", "failing too large a share of its requests");

  private final String slug;
  private final String description;

  EjectionReason(String slug, String description) {
    this.slug = slug;
    this.description = description;
  }

  public String slug() {
    return slug;
  }

  /** Completes "ejected after …". */
  public String description() {
    return description;
  }
}
