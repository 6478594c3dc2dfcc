package io.trafficcoordinator.lab.scenario;

/**
 * One simulated endpoint: a server with {@code concurrency} slots and a FIFO queue in front.
 *
 * @param weight the configured weight the strategies see
 * @param cost the cost of one request, in the scenario's unit
 */
public record EndpointModel(String id, String zone, int tier, int weight, double cost, int concurrency, ServiceTime serviceTime) {

  /** Requests per second this endpoint serves at full utilisation. */
  public double capacityPerSecond() {
    return concurrency * 1e9 / serviceTime.meanNanos();
  }
}
