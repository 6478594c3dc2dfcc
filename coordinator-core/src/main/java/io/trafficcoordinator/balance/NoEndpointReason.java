package io.trafficcoordinator.balance;

/** Why a picker returned no endpoint; the proxy answers 503 and names the reason. */
public enum NoEndpointReason {
  /** The service has no endpoints configured. */
  NO_ENDPOINTS("the service has no endpoints"),
  /** Endpoints exist but none may take a request now. */
  NONE_ELIGIBLE("no endpoint of the service can take a request now");

  private final String description;
  final Selection selection;

  NoEndpointReason(String description) {
    this.description = description;
    this.selection = new Selection(this);
  }

  public String description() {
    return description;
  }
}
