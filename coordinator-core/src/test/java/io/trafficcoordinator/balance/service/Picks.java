package io.trafficcoordinator.balance.service;

import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import java.util.HashSet;
import java.util.Set;

/** Which endpoints a balancer's picks land on, each pick released without counting anything. */
public final class Picks {

  private Picks() {}

  /** The ids of the endpoints {@code times} picks landed on. */
  public static Set<String> picked(ServiceBalancer balancer, int times) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < times; i++) {
      Selection selection = balancer.pick(RequestContext.EMPTY);
      ids.add(selection.endpoint().id());
      selection.ignore();
    }
    return ids;
  }
}
