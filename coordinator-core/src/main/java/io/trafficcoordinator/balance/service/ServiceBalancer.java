package io.trafficcoordinator.balance.service;

import io.trafficcoordinator.balance.BalancerEvents;
import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.balance.NoEndpointReason;
import io.trafficcoordinator.balance.Picker;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.balance.tier.TierPlan;
import io.trafficcoordinator.balance.tier.TieredPicker;
import io.trafficcoordinator.breaker.CircuitBreaker;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.outlier.EjectionReason;
import io.trafficcoordinator.outlier.Ejections;
import io.trafficcoordinator.outlier.OutlierConfig;
import io.trafficcoordinator.outlier.Stalls;
import io.trafficcoordinator.random.Rng;
import io.trafficcoordinator.time.NanoClock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One service's balancing: the strategy's picker over the endpoints that may take requests, and
 * the loop that hands a request to an endpoint that will take it.
 *
 * <p>The order of decisions is DESIGN's: priority tier ({@link TierPlan}), then eligibility
 * ({@link Eligibility}: healthy, not ejected, circuit not open), then the strategy among what
 * remains; with too few endpoints eligible (Envoy's panic mode) the strategy gets them all.
 *
 * <p><b>No lock on the request path.</b> {@link #pick} reads one {@link AtomicReference} to an
 * immutable {@link Snapshot} (picker and eligibility). Whatever changes eligibility (a health
 * transition, an ejection, an ejection or open circuit running out, a sweep) asks for a rebuild;
 * rebuilds run one at a time and collapse, as Finagle's balancer updater does: the thread that
 * finds no rebuild running does it, and does it again as long as more were asked for meanwhile;
 * any other thread returns at once and keeps picking from the snapshot it has. So a rebuild may
 * run on a request's thread but never makes it wait for another.
 *
 * <p><b>When a pick meets an endpoint that will not take the request</b>, the selection is ignored
 * (it counts nothing) and the pick is made again, up to {@value #REPICKS} times, then the request
 * gets {@link NoEndpointReason#NONE_ELIGIBLE} rather than queue behind trial requests:
 * <ul>
 *   <li>its circuit is <b>open</b> (it opened after the snapshot was built): a rebuild without it is
 *       asked for, and the next pick uses the new snapshot if the rebuild is done;</li>
 *   <li>its circuit is <b>half-open</b> with every trial permit out: the next pick simply goes
 *       elsewhere;</li>
 *   <li>its run of failures has reached the <b>consecutive-failures</b> threshold and the cap on
 *       ejections leaves room: it is handed to a rebuild, which ejects it; the pick is refused once
 *       the endpoint is out. If it is not out yet (another thread's rebuild is still running, or
 *       the cap filled meanwhile) it serves this request, as it would have without the check.</li>
 * </ul>
 */
public final class ServiceBalancer {

  /** Envoy's default: below half the endpoints eligible, use them all. */
  public static final double DEFAULT_PANIC_THRESHOLD = 0.5;

  /** How many times a refused pick is made again before the request gets none. */
  static final int REPICKS = 3;

  /** What picks read: built whole by a rebuild, never changed after. */
  private record Snapshot(Picker picker, Eligibility eligibility, boolean panicking) {}

  private final String service;
  private final Strategy strategy;
  private final EndpointSet endpoints;
  private final double panicThreshold;
  private final Ejections ejections;
  private final NanoClock clock;
  private final BalancerEvents events;
  private final Rng tierRng;
  private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
  private final TryTimeout tryTimeout = new TryTimeout();
  /** Rebuilds asked for and not yet done; the thread that raises it from 0 runs them. */
  private final AtomicInteger rebuildsAsked = new AtomicInteger();
  /** Endpoints a pick found due for ejection; the next rebuild tries to eject them. */
  private final Set<Endpoint> dueForEjection = ConcurrentHashMap.newKeySet();
  /** Held while stall verdicts are judged: one timer calls, but a test or a second timer must not interleave. */
  private final Object stallJudge = new Object();
  /** Set by {@link #sweepOutliers}; read and cleared by the rebuild that runs the sweep. */
  private volatile boolean sweepAsked;

  /**
   * @param ejections the service's passive outlier detection; null for none
   * @param context the clock, the source of the tier draw's random numbers, where changes are reported
   */
  public ServiceBalancer(String service, Strategy strategy, EndpointSet endpoints, double panicThreshold,
      Ejections ejections, BalancingContext context) {
    this.service = service;
    this.strategy = strategy;
    this.endpoints = endpoints;
    this.panicThreshold = panicThreshold;
    this.ejections = ejections;
    this.clock = context.clock();
    this.events = context.events();
    this.tierRng = context.rngSource().next();
    refresh();
  }

  /**
   * Chooses an endpoint for one request; see {@link io.trafficcoordinator.balance.Picker#pick} for
   * the contract. Lock-free: never waits for a rebuild another thread is running.
   */
  public Selection pick(RequestContext context) {
    Snapshot current = snapshot.get();
    // The clock is read only when something depends on it: a read costs as much as a round-robin pick.
    if (current.eligibility().awaitsChange() && current.eligibility().changeDue(clock.nanoTime())) {
      refresh();
      current = snapshot.get();
    }
    for (int attempt = 0; ; attempt++) {
      Selection selection = current.picker().pick(context);
      if (selection.isNone()) {
        return selection;
      }
      boolean admitted;
      try {
        admitted = admits(selection.endpoint(), current);
      } catch (RuntimeException | Error e) {
        selection.ignore(); // a failed rebuild must not leave the endpoint counting one more in flight
        throw e;
      }
      if (admitted) {
        return selection;
      }
      selection.ignore();
      if (attempt == REPICKS) {
        return Selection.none(NoEndpointReason.NONE_ELIGIBLE);
      }
      current = snapshot.get();
    }
  }

  /**
   * Whether {@code endpoint}, picked from {@code current}, takes the request; asks for a rebuild
   * when it should leave the snapshot (due for ejection, circuit open).
   */
  private boolean admits(Endpoint endpoint, Snapshot current) {
    if (ejections != null && ejections.isDue(endpoint) && !endpoint.stats().isEjected(clock.nanoTime())
        && current.eligibility().ejected().size() < ejections.allowed(endpoints.size())) {
      dueForEjection.add(endpoint);
      refresh();
      // Refused only once it is out: while another thread's rebuild is still running, or when the
      // cap filled meanwhile, it serves this request rather than leave the request with none.
      if (endpoint.stats().isEjected(clock.nanoTime())) {
        return false;
      }
    }
    CircuitBreaker breaker = endpoint.stats().breaker();
    if (breaker == null || breaker.isClosed()) {
      return true;
    }
    long now = clock.nanoTime();
    if (breaker.admit(now)) {
      return true;
    }
    if (breaker.isOpen(now)) {
      refresh();
    }
    return false;
  }

  /**
   * Measures the service's latency for its derived {@link TryTimeout}, and runs the interval
   * detectors of outlier ejection when their interval is due (see {@link Ejections#sweep}) within
   * the next rebuild. Called by a timer off the request path,
   * about once a second; cheap when nothing is due.
   */
  public void sweepOutliers() {
    tryTimeout.measure(endpoints.endpoints(), clock.nanoTime());
    if (ejections != null) {
      sweepAsked = true;
      refresh();
    }
  }

  /**
   * Judges which endpoints are stalled ({@link Stalls}) and rebuilds the picker when a verdict
   * changed. Called by a timer off the request path, every few tens of milliseconds: without a
   * stall it reads a counter per endpoint and allocates nothing.
   */
  public void watchStalls() {
    OutlierConfig.Stall stall = ejections == null ? null : ejections.stall();
    long now = clock.nanoTime();
    List<Endpoint> changed;
    synchronized (stallJudge) {
      changed = stall == null ? Stalls.clearAll(endpoints.endpoints()) : Stalls.judge(stall, endpoints.endpoints(), now);
    }
    boolean ejecting = false;
    for (Endpoint endpoint : endpoints.endpoints()) {
      // A stalled endpoint is not picked, so no pick would find it due for ejection: this does.
      if (ejections != null && endpoint.stats().answerWatch().isStalled() && ejections.isDue(endpoint)) {
        ejecting |= dueForEjection.add(endpoint);
      }
    }
    if (changed.isEmpty() && !ejecting) {
      return;
    }
    refresh();
    for (Endpoint endpoint : changed) {
      if (endpoint.stats().answerWatch().isStalled()) {
        events.stalled(service, endpoint, endpoint.stats().answerWatch().silenceNanos(now),
            endpoint.stats().answerWatch().awaiting());
      } else {
        events.stallEnded(service, endpoint);
      }
    }
  }

  /**
   * Rebuilds the picker from the endpoints' current eligibility, or has the rebuild that is running
   * do it again once it is done. Never blocks. Called by whatever changes eligibility (a
   * health-check transition, a new plan).
   */
  public void refresh() {
    if (rebuildsAsked.getAndIncrement() != 0) {
      return; // the thread running rebuilds sees the count and runs one more
    }
    int asked = 1;
    RuntimeException failed = null;
    do {
      try {
        rebuild();
      } catch (RuntimeException e) {
        failed = e; // the asks that came meanwhile still get their rebuild
      } catch (Error e) {
        rebuildsAsked.set(0); // not left "running" forever: the next refresh starts again
        throw e;
      }
      asked = rebuildsAsked.addAndGet(-asked);
    } while (asked != 0);
    if (failed != null) {
      throw failed;
    }
  }

  /**
   * One rebuild: ejections asked for by picks, the sweep if asked, then a new snapshot, published
   * only when eligibility changed (a picker keeps what it has learned, such as a round robin's
   * position or a smoothed weight, across rebuilds that change nothing). Only one thread runs it
   * at a time (see {@link #refresh}), so the ejection cap, the sweep's schedule in
   * {@link Ejections} and the comparison with the previous snapshot are never raced.
   */
  private void rebuild() {
    long now = clock.nanoTime();
    Snapshot previous = snapshot.get();
    List<Endpoint> restored = previous == null ? List.of() : ejectionsEnded(previous.eligibility(), now);
    if (ejections != null) {
      ejectDue(now);
    }
    Eligibility eligibility = Eligibility.of(endpoints, now);
    if (previous != null && previous.eligibility().eligible().equals(eligibility.eligible())
        && previous.eligibility().ejected().equals(eligibility.ejected())) {
      snapshot.set(new Snapshot(previous.picker(), eligibility, previous.panicking()));
    } else {
      snapshot.set(snapshot(eligibility));
    }
    restored.forEach(endpoint -> events.restored(service, endpoint));
  }

  /**
   * Endpoints whose ejection has ended since the last rebuild; they return with a clean slate:
   * requests that were in flight when they were ejected may have failed since, and must not re-arm
   * them (which is why this comes before {@link #ejectDue}).
   */
  private static List<Endpoint> ejectionsEnded(Eligibility before, long now) {
    List<Endpoint> ended = new ArrayList<>();
    for (Endpoint endpoint : before.ejected()) {
      if (!endpoint.stats().isEjected(now)) {
        endpoint.stats().freshStart(now);
        ended.add(endpoint);
      }
    }
    return ended;
  }

  /**
   * Ejects the endpoints picks found past the consecutive-failures threshold (within the cap),
   * then runs the interval detectors' sweep if one was asked for.
   */
  private void ejectDue(long now) {
    for (Endpoint endpoint : endpoints.endpoints()) {
      if (dueForEjection.remove(endpoint) && ejections.tryEject(endpoint, endpoints, now)) {
        reportEjected(endpoint, now, EjectionReason.CONSECUTIVE_FAILURES);
      }
    }
    if (sweepAsked) {
      sweepAsked = false;
      for (Map.Entry<Endpoint, EjectionReason> outlier : ejections.sweep(endpoints, now).entrySet()) {
        if (ejections.ejectWithinCap(outlier.getKey(), endpoints, now)) {
          reportEjected(outlier.getKey(), now, outlier.getValue());
        }
      }
    }
  }

  private void reportEjected(Endpoint endpoint, long now, EjectionReason reason) {
    events.ejected(service, endpoint, endpoint.stats().ejectedUntilNanos() - now, endpoint.stats().timesEjected(), reason);
  }

  private Snapshot snapshot(Eligibility eligibility) {
    if (endpoints.byTier().size() > 1) {
      Optional<TierPlan> plan = TierPlan.of(endpoints.byTier(), new HashSet<>(eligibility.eligible()), panicThreshold);
      return plan.map(tiers -> new Snapshot(tiered(tiers), eligibility, false))
          .orElseGet(() -> new Snapshot(strategy.newPicker(endpoints), eligibility, !endpoints.isEmpty()));
    }
    boolean panic = eligibility.panics(panicThreshold, endpoints.size());
    boolean all = panic || eligibility.eligible().size() == endpoints.size();
    return new Snapshot(strategy.newPicker(all ? endpoints : endpoints.eligibleView(eligibility.eligible())),
        eligibility, panic);
  }

  /**
   * Each tier's picker over its eligible endpoints (a set of the tier's own size, so that a
   * strategy's own thresholds count within the tier), traffic split by the plan's loads.
   */
  private Picker tiered(TierPlan plan) {
    Picker[] pickers = new Picker[plan.loads().length];
    for (int t = 0; t < pickers.length; t++) {
      if (plan.takesTraffic(t)) {
        EndpointSet tier = new EndpointSet(endpoints.version(), plan.tiers().get(t));
        pickers[t] = strategy.newPicker(plan.eligible().get(t).size() == tier.size() ? tier
            : tier.eligibleView(plan.eligible().get(t)));
      }
    }
    return new TieredPicker(plan.loads(), pickers, tierRng);
  }

  /** The per-try timeout of the service's routes that set none. */
  public TryTimeout tryTimeout() {
    return tryTimeout;
  }

  /** Whether too few endpoints are eligible and all of them are being used. */
  public boolean isPanicking() {
    return snapshot.get().panicking();
  }

  public Strategy strategy() {
    return strategy;
  }

  /** Every endpoint of the service, eligible or not. */
  public EndpointSet endpoints() {
    return endpoints;
  }
}
