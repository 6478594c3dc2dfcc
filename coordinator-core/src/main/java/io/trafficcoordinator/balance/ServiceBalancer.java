package io.trafficcoordinator.balance;

import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.balance.tier.TierLoad;
import io.trafficcoordinator.breaker.CircuitBreaker;
import io.trafficcoordinator.balance.tier.TieredPicker;
import io.trafficcoordinator.outlier.EjectionReason;
import io.trafficcoordinator.outlier.Ejections;
import io.trafficcoordinator.random.Rng;
import io.trafficcoordinator.time.NanoClock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One service's balancing: which of its endpoints are eligible, and the strategy's picker over
 * them.
 *
 * <p>Priority tiers come first: tier 0 takes the traffic while enough of it is eligible, the excess
 * spilling to tier 1, 2... as tiers degrade ({@link TierLoad}: Envoy's priority levels with an
 * overprovisioning factor of 1.4); the strategy picks within the drawn tier.
 *
 * <p>Eligibility comes before the strategy (DESIGN's order of decisions): an endpoint its active
 * health checks call unhealthy, or that passive outlier detection has ejected, is left out of the
 * snapshot the strategy sees. Ejection is decided on the request path without a timer: when a
 * pick lands on an endpoint whose run of failures has reached the threshold, that endpoint is
 * ejected, the picker rebuilt and the pick made again; when the earliest ejection ends, the next
 * pick rebuilds the picker with the endpoint back. When fewer than the
 * panic threshold of the endpoints are eligible, all of them are handed to the strategy instead
 * (Envoy's panic mode): with most of a fleet marked down, the health signal is more likely wrong
 * than the fleet dead, and the few left would be crushed.
 *
 * <p>{@link #pick} reads one atomic reference; {@link #refresh} rebuilds the picker off the hot
 * path and is called by whatever changes eligibility (a health-check transition).
 */
public final class ServiceBalancer {

  /** Envoy's default: below half the endpoints eligible, use them all. */
  public static final double DEFAULT_PANIC_THRESHOLD = 0.5;

  private final String service;
  private final Strategy strategy;
  private final EndpointSet endpoints;
  private final double panicThreshold;
  private final Ejections ejections;
  private final NanoClock clock;
  private final BalancerEvents events;
  private final Rng tierRng;
  private final AtomicReference<Picker> picker = new AtomicReference<>();
  private volatile boolean panicking;
  /** When the earliest ejection in force ends; Long.MAX_VALUE when none is. */
  private volatile long nextRestoreNanos = Long.MAX_VALUE;
  /** The endpoints ejected at the last refresh; guarded by this balancer's lock. */
  private Set<Endpoint> ejectedAtLastRefresh = Set.of();
  /**
   * Whether as many endpoints are ejected as the cap allows: then a due endpoint is not tried
   * again on every pick (which would take the lock each time) until a refresh says otherwise.
   */
  private volatile boolean ejectionCapReached;

  /** A balancer with no outlier ejection (the lab's, and tests'). */
  public ServiceBalancer(Strategy strategy, EndpointSet endpoints, double panicThreshold) {
    this("", strategy, endpoints, panicThreshold, null, NanoClock.system(), BalancerEvents.NONE, Rng.threadLocal());
  }

  public ServiceBalancer(String service, Strategy strategy, EndpointSet endpoints, double panicThreshold,
      Ejections ejections, NanoClock clock, BalancerEvents events, Rng tierRng) {
    this.service = service;
    this.strategy = strategy;
    this.endpoints = endpoints;
    this.panicThreshold = panicThreshold;
    this.ejections = ejections;
    this.clock = clock;
    this.events = events;
    this.tierRng = tierRng;
    refresh();
  }

  /**
   * Chooses an endpoint for one request; see {@link Picker#pick}. Lock-free except on the rare pick
   * that ejects or restores an endpoint.
   */
  public Selection pick(RequestContext context) {
    if (nextRestoreNanos != Long.MAX_VALUE && clock.nanoTime() - nextRestoreNanos >= 0) {
      restoreDue();
    }
    Selection selection = picker.get().pick(context);
    if (ejections != null && !ejectionCapReached && !selection.isNone() && ejections.isDue(selection.endpoint())
        && !selection.endpoint().stats().isEjected(clock.nanoTime()) && eject(selection.endpoint())) {
      selection.ignore();
      selection = picker.get().pick(context);
    }
    // A breaker may refuse the endpoint picked: open (the picker was built before it opened, so it
    // is rebuilt without it) or half-open with its trials all out. The request then goes elsewhere;
    // after three refusals it gets none rather than queue behind trials.
    for (int attempt = 0; attempt <= 3; attempt++) {
      CircuitBreaker breaker = selection.isNone() ? null : selection.endpoint().stats().breaker();
      if (breaker == null || breaker.isClosed() || breaker.admit(clock.nanoTime())) {
        return selection;
      }
      selection.ignore();
      if (attempt == 3) {
        break;
      }
      if (breaker.isOpen(clock.nanoTime())) {
        refresh();
      }
      selection = picker.get().pick(context);
    }
    return Selection.none(NoEndpointReason.NONE_ELIGIBLE);
  }

  private synchronized boolean eject(Endpoint endpoint) {
    long now = clock.nanoTime();
    if (!ejections.tryEject(endpoint, endpoints, now)) {
      return false;
    }
    events.ejected(service, endpoint, endpoint.stats().ejectedUntilNanos() - now, endpoint.stats().timesEjected(),
        EjectionReason.CONSECUTIVE_FAILURES);
    refresh();
    return true;
  }

  /**
   * Runs the interval detectors of outlier ejection when their interval is due (see
   * {@link Ejections#sweep}): ejects the outliers they find within the cap and rebuilds the picker
   * if any was ejected. Called by a timer off the request path, about once a second; cheap when
   * nothing is due.
   */
  public synchronized void sweepOutliers() {
    if (ejections == null) {
      return;
    }
    long now = clock.nanoTime();
    boolean ejected = false;
    for (Map.Entry<Endpoint, EjectionReason> outlier : ejections.sweep(endpoints, now).entrySet()) {
      Endpoint endpoint = outlier.getKey();
      if (ejections.ejectWithinCap(endpoint, endpoints, now)) {
        events.ejected(service, endpoint, endpoint.stats().ejectedUntilNanos() - now, endpoint.stats().timesEjected(),
            outlier.getValue());
        ejected = true;
      }
    }
    if (ejected) {
      refresh();
    }
  }

  private synchronized void restoreDue() {
    if (clock.nanoTime() - nextRestoreNanos >= 0) {
      refresh();
    }
  }

  /**
   * Rebuilds the picker from the endpoints' current eligibility. Never blocks on I/O. Refreshes are
   * serialised (the lock is never taken on the request path): otherwise a refresh that read an older
   * state could publish after a newer one, and since refreshes only follow transitions, nothing would
   * correct it.
   */
  public synchronized void refresh() {
    long now = clock.nanoTime();
    long nextRestore = Long.MAX_VALUE;
    Set<Endpoint> ejectedNow = new HashSet<>();
    List<Endpoint> eligible = new ArrayList<>(endpoints.size());
    for (Endpoint endpoint : endpoints.endpoints()) {
      CircuitBreaker breaker = endpoint.stats().breaker();
      boolean open = breaker != null && breaker.isOpen(now);
      if (open) {
        long until = breaker.openUntilNanos();
        nextRestore = nextRestore == Long.MAX_VALUE || until - nextRestore < 0 ? until : nextRestore;
      }
      boolean ejected = endpoint.stats().isEjected(now);
      if (ejected) {
        ejectedNow.add(endpoint);
        long until = endpoint.stats().ejectedUntilNanos();
        nextRestore = nextRestore == Long.MAX_VALUE || until - nextRestore < 0 ? until : nextRestore;
      } else if (ejectedAtLastRefresh.contains(endpoint)) {
        // Requests that were in flight when it was ejected may have failed since: it returns with
        // a clean slate, not re-armed by them.
        endpoint.stats().clearFailureStreak();
        events.restored(service, endpoint);
      }
      if (endpoint.stats().activeHealth().isHealthy() && !ejected && !open) {
        eligible.add(endpoint);
      }
    }
    nextRestoreNanos = nextRestore;
    ejectedAtLastRefresh = ejectedNow;
    ejectionCapReached = ejections != null && ejectedNow.size() >= ejections.allowed(endpoints.size());
    if (endpoints.byTier().size() > 1) {
      Picker tiered = tiered(new HashSet<>(eligible));
      panicking = tiered == null && !endpoints.isEmpty();
      picker.set(tiered != null ? tiered : strategy.newPicker(endpoints));
      return;
    }
    boolean panic = eligible.size() < panicThreshold * endpoints.size();
    panicking = panic && !endpoints.isEmpty();
    EndpointSet view = panic || eligible.size() == endpoints.size() ? endpoints : endpoints.eligibleView(eligible);
    picker.set(strategy.newPicker(view));
  }

  /**
   * Priority tiers: each tier's picker over its eligible endpoints (a set of the tier's own size, so
   * that a strategy's own thresholds count within the tier), traffic split by {@link TierLoad}.
   * Null when the tiers' total health, min(1, sum of min(1, 1.4 x eligible share)), is below the
   * panic threshold: then the whole service is used. A dead tier 0 beside a healthy tier 1 is
   * failover, not panic.
   */
  private Picker tiered(Set<Endpoint> eligible) {
    Map<Integer, List<Endpoint>> all = endpoints.byTier();
    double[] healthy = new double[all.size()];
    Picker[] pickers = new Picker[all.size()];
    List<List<Endpoint>> eligibleByTier = new ArrayList<>();
    int t = 0;
    for (Map.Entry<Integer, List<Endpoint>> tier : all.entrySet()) {
      List<Endpoint> up = new ArrayList<>();
      double total = 0;
      double upWeight = 0;
      for (Endpoint endpoint : tier.getValue()) {
        total += endpoint.configuredWeight();
        if (eligible.contains(endpoint)) {
          up.add(endpoint);
          upWeight += endpoint.configuredWeight();
        }
      }
      healthy[t++] = total == 0 ? 0 : upWeight / total;
      eligibleByTier.add(up);
    }
    double totalHealth = 0;
    for (double share : healthy) {
      totalHealth += Math.min(1.0, TierLoad.OVERPROVISIONING * share);
    }
    if (Math.min(1.0, totalHealth) < panicThreshold) {
      return null;
    }
    double[] loads = TierLoad.loads(healthy);
    List<List<Endpoint>> tierEndpoints = new ArrayList<>(all.values());
    for (int i = 0; i < pickers.length; i++) {
      if (loads[i] > 0 && !eligibleByTier.get(i).isEmpty()) {
        EndpointSet tier = new EndpointSet(endpoints.version(), tierEndpoints.get(i));
        pickers[i] = strategy.newPicker(eligibleByTier.get(i).size() == tier.size() ? tier : tier.eligibleView(eligibleByTier.get(i)));
      }
    }
    return new TieredPicker(loads, pickers, tierRng);
  }

  /** Whether too few endpoints are eligible and all of them are being used. */
  public boolean isPanicking() {
    return panicking;
  }

  public Strategy strategy() {
    return strategy;
  }

  /** Every endpoint of the service, eligible or not. */
  public EndpointSet endpoints() {
    return endpoints;
  }
}
