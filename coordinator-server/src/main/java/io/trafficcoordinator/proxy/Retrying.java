package io.trafficcoordinator.proxy;

import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.balance.service.ServiceBalancer;
import io.trafficcoordinator.retry.Backoff;
import io.trafficcoordinator.retry.RetryBudget;
import io.trafficcoordinator.retry.RetryCause;
import io.trafficcoordinator.retry.RetryConfig;
import io.trafficcoordinator.route.Route;
import io.trafficcoordinator.telemetry.StateChangeLog;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's retries: whether a failed try may be followed by another, after how long, and to
 * which endpoint. The rules, in the order they are checked (the budget last, because asking it
 * spends it):
 *
 * <ol>
 *   <li>tries left ({@code maxAttempts}), and the route retries on this kind of failure;
 *   <li>the request never reached the endpoint, or it is idempotent and every byte of body already
 *       sent can be sent again;
 *   <li>after the backoff, at least a fifth of the per-try timeout is left before the route's
 *       deadline (a try with less would time out on the deadline and prove nothing);
 *   <li>the route's {@link RetryBudget} has a retry to give.
 * </ol>
 *
 * <p>The next endpoint is one not tried yet for this request when the service's picker offers one
 * within three picks (Envoy's previous-hosts predicate); otherwise the picker's last choice.
 *
 * <p>Confined to the exchange's event loop.
 */
final class Retrying {

  private static final Logger LOG = LoggerFactory.getLogger(Retrying.class);
  private static final int PICKS_FOR_AN_UNTRIED_ENDPOINT = 3;

  private final ExchangeScope scope;
  private final Route route;
  private final RetryConfig config;
  private final long perTryNanos;
  /** The endpoints tried so far; only a retried request needs more than the first (allocated then). */
  private String firstTried;
  private List<String> moreTried;
  private int tries;
  private RetryCause pending;

  /** @param perTryNanos the route's per-try timeout for this request (configured or derived) */
  Retrying(ExchangeScope scope, Route route, long perTryNanos) {
    this.scope = scope;
    this.route = route;
    this.config = route.config().retries();
    this.perTryNanos = perTryNanos;
    if (config.enabled()) {
      route.retryBudget().recordRequest(scope.clock().nanoTime());
    }
  }

  /** A try starts on {@code endpointId}. */
  void starting(String endpointId) {
    tries++;
    if (firstTried == null) {
      firstTried = endpointId;
    } else {
      if (moreTried == null) {
        moreTried = new ArrayList<>(2);
      }
      moreTried.add(endpointId);
    }
    scope.countTry();
  }

  private boolean wasTried(String endpointId) {
    return endpointId.equals(firstTried) || (moreTried != null && moreTried.contains(endpointId));
  }

  /**
   * The wait in nanoseconds before the next try, or -1 when the failure stands.
   *
   * @param status the endpoint's status, for {@link RetryCause#STATUS}
   * @param bodyReplayable whether all the body sent so far is kept for sending again
   * @param remainingNanos time left before the route's deadline
   */
  long nextTry(RetryCause cause, int status, boolean bodyReplayable, long remainingNanos) {
    if (tries >= config.maxAttempts() || !cause.retriedBy(config, status)) {
      return -1;
    }
    if (!bodyReplayable || (!cause.neverReached() && !isIdempotent())) {
      return -1;
    }
    long delay = new Backoff(config.backoffBase(), config.backoffMax()).delayNanos(tries, scope.jitter());
    long minimumTryNanos = perTryNanos / 5;
    if (delay + minimumTryNanos > remainingNanos) {
      return -1;
    }
    RetryBudget.Grant grant = route.retryBudget().tryRetry(scope.clock().nanoTime());
    if (grant == RetryBudget.Grant.EXHAUSTED || grant == RetryBudget.Grant.RESUMED) {
      // Under a burst the budget can flip between the two thousands of times a second.
      long heldBack = scope.stateLog().allow("route " + route.name());
      if (heldBack >= 0 && grant == RetryBudget.Grant.EXHAUSTED) {
        LOG.warn("route {}: retry budget spent ({} % of requests, at least {}/s, over {} s); failed requests are not"
            + " retried until it has room{}", route.name(), config.budget().percent(), config.budget().minPerSecond(),
            config.budget().window().toSeconds(), StateChangeLog.heldBackNote(heldBack));
      } else if (heldBack >= 0) {
        LOG.info("route {}: retry budget has room again; retries resume{}", route.name(),
            StateChangeLog.heldBackNote(heldBack));
      }
    }
    if (!grant.granted()) {
      scope.metrics().retryRefusedByBudget(route.name());
      return -1;
    }
    pending = cause;
    return delay;
  }

  /**
   * The retry {@link #nextTry} allowed is being sent (an endpoint was found for it). Counted here
   * rather than when allowed: when no endpoint is left after the backoff, the budget has paid for
   * a retry that never happened (rare, and on the safe side), but the metric does not show one.
   */
  void sent() {
    scope.metrics().retried(route.name(), pending);
  }

  /** Asked only of failed tries, so that the requests that succeed never look up the header. */
  private boolean isIdempotent() {
    return RetryCause.isIdempotent(scope.request().method().name(), scope.request().headers().contains("idempotency-key"));
  }

  /** The endpoint for the next try, preferring one not tried yet; a none-selection when there is none. */
  Selection pickNext(ServiceBalancer balancer, RequestContext context) {
    Selection choice = balancer.pick(context);
    for (int pick = 1; pick < PICKS_FOR_AN_UNTRIED_ENDPOINT && !choice.isNone()
        && wasTried(choice.endpoint().id()); pick++) {
      choice.ignore();
      choice = balancer.pick(context);
    }
    return choice;
  }
}
