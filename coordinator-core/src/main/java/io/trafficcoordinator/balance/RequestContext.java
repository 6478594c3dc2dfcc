package io.trafficcoordinator.balance;

/**
 * What a pick may depend on besides the endpoints: the caller's zone and a hash key. Strategies
 * must work with {@link #EMPTY}.
 *
 * @param clientZone the caller's locality zone, or null when unknown
 * @param hashKey a key for strategies that keep a caller on one endpoint; 0 when unused
 */
public record RequestContext(String clientZone, long hashKey) {

  public static final RequestContext EMPTY = new RequestContext(null, 0L);
}
