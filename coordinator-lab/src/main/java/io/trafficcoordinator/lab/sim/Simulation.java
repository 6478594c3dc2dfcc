package io.trafficcoordinator.lab.sim;

import io.trafficcoordinator.balance.BalancingContext;
import io.trafficcoordinator.balance.RequestContext;
import io.trafficcoordinator.balance.Selection;
import io.trafficcoordinator.balance.Strategy;
import io.trafficcoordinator.balance.service.ServiceBalancer;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.EndpointAddress;
import io.trafficcoordinator.endpoint.EndpointSet;
import io.trafficcoordinator.endpoint.EndpointStats;
import io.trafficcoordinator.endpoint.StatsSettings;
import io.trafficcoordinator.lab.scenario.EndpointModel;
import io.trafficcoordinator.lab.scenario.Scenario;
import io.trafficcoordinator.lab.scenario.TimedEvent;
import io.trafficcoordinator.random.RngSource;
import io.trafficcoordinator.time.ManualClock;
import java.net.URI;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * One run of one strategy through one scenario, on virtual time.
 *
 * <p>A discrete-event simulation: a priority queue of timed events (arrivals, arrivals at an
 * endpoint after the network, completions, timeouts, health checks, the scenario's events) is
 * drained in time order, and the strategy sees a {@link ManualClock} set to each event's time, so
 * it runs exactly as in the proxy, only on simulated time. Arrivals form a Poisson process (rate
 * ramping linearly when the scenario says so); the strategy is wrapped in the same
 * {@link ServiceBalancer} the proxy uses, fed by simulated active health checks. Deterministic for
 * a seed: arrivals, zones and service times come from their own seeded streams, so every strategy
 * faces the same arrivals.
 */
public final class Simulation {

  private final Scenario scenario;
  private final ManualClock clock = new ManualClock(0L);
  private final PriorityQueue<Event> events = new PriorityQueue<>();
  private final List<SimEndpoint> endpoints = new ArrayList<>();
  // Identity, not record equality: a lookup per request should not hash every field of the endpoint.
  private final Map<Endpoint, SimEndpoint> byEndpoint = new IdentityHashMap<>();
  private final ServiceBalancer balancer;
  private final SplittableRandom arrivals;
  private final SplittableRandom zones;
  private final RequestContext[] contexts;
  private final double[] zoneCumulative;
  private final Recorder recorder = new Recorder();
  private final long durationNanos;
  private final long warmUpNanos;
  private long sequence;

  /** @param strategyFactory builds the strategy under test with the simulation's clock and seeded randomness */
  public Simulation(Scenario scenario, long seed, Function<BalancingContext, Strategy> strategyFactory) {
    this.scenario = scenario;
    SplittableRandom master = new SplittableRandom(seed);
    this.arrivals = master.split();
    this.zones = master.split();
    List<Endpoint> coreEndpoints = new ArrayList<>();
    int index = 0;
    for (EndpointModel model : scenario.endpoints()) {
      index++;
      Endpoint endpoint = new Endpoint(model.id(), EndpointAddress.of(URI.create("http://10.0." + (index / 250) + "."
          + (index % 250 + 1) + ":80")), model.weight(), model.zone(), model.tier(), model.cost(),
          new EndpointStats(StatsSettings.DEFAULT));
      SimEndpoint sim = new SimEndpoint(model, endpoint, master.nextLong());
      endpoints.add(sim);
      byEndpoint.put(endpoint, sim);
      coreEndpoints.add(endpoint);
    }
    Strategy strategy = strategyFactory.apply(new BalancingContext(clock, RngSource.seeded(master.nextLong())));
    // The balancer draws tiers from a source of its own, seeded after the strategy's, so that adding
    // it moved no other draw of a scenario without tiers.
    this.balancer = new ServiceBalancer(scenario.name(), strategy, new EndpointSet(1, coreEndpoints),
        ServiceBalancer.DEFAULT_PANIC_THRESHOLD, null, new BalancingContext(clock, RngSource.seeded(master.nextLong())));
    List<String> zoneNames = new ArrayList<>(scenario.clientZones().keySet());
    this.contexts = new RequestContext[Math.max(1, zoneNames.size())];
    this.zoneCumulative = new double[zoneNames.size()];
    double total = scenario.clientZones().values().stream().mapToDouble(Double::doubleValue).sum();
    double sum = 0;
    for (int z = 0; z < zoneNames.size(); z++) {
      contexts[z] = new RequestContext(zoneNames.get(z), 0L);
      sum += scenario.clientZones().get(zoneNames.get(z)) / total;
      zoneCumulative[z] = sum;
    }
    if (zoneNames.isEmpty()) {
      contexts[0] = RequestContext.EMPTY;
    }
    this.durationNanos = scenario.durationNanos();
    this.warmUpNanos = (long) (durationNanos * scenario.warmUpFraction());
  }

  /** Runs to the end of the scenario and every request's outcome; returns what was measured. */
  public Recorder run() {
    schedule(nextArrivalGap(0), this::arrive);
    scheduleHealthChecks();
    for (TimedEvent event : scenario.events()) {
      long at = event.startNanos(durationNanos);
      if (at < durationNanos) {
        schedule(at, () -> apply(event));
      }
    }
    while (!events.isEmpty()) {
      Event next = events.poll();
      clock.advanceNanos(next.time - clock.nanoTime());
      next.action.run();
    }
    return recorder;
  }

  /** Simulated seconds the run offered load for, after the warm-up. */
  public double measuredSeconds() {
    return (durationNanos - warmUpNanos) / 1e9;
  }

  private void arrive() {
    long now = clock.nanoTime();
    RequestContext context = contexts[zoneCumulative.length == 0 ? 0 : drawZone()];
    boolean measured = now >= warmUpNanos;
    Selection selection = balancer.pick(context);
    long gap = nextArrivalGap(now);
    if (now + gap < durationNanos) {
      schedule(gap, this::arrive);
    }
    if (selection.isNone()) {
      if (measured) {
        recorder.request(false, false, 0.0);
        recorder.error(now, scenario.timeout().toNanos());
      }
      return;
    }
    SimEndpoint target = byEndpoint.get(selection.endpoint());
    String zone = context.clientZone();
    boolean local = zone != null && zone.equals(target.model.zone());
    SimRequest request = new SimRequest(now, selection, local, measured);
    if (measured) {
      recorder.request(zone != null, local, target.model.cost());
    }
    long network = scenario.networkNanos(zone, target.model.zone());
    schedule(scenario.timeout().toNanos(), () -> timeOut(request));
    schedule(network, () -> reach(target, request));
  }

  private void reach(SimEndpoint target, SimRequest request) {
    if (request.finished) {
      return;
    }
    if (target.isDown()) {
      schedule(scenario.failFast().toNanos(), () -> fail(request));
      return;
    }
    if (target.admit(request)) {
      serve(target, request);
    }
  }

  private void serve(SimEndpoint target, SimRequest request) {
    long now = clock.nanoTime();
    schedule(target.completionTime(now) - now, () -> complete(target, request));
  }

  private void complete(SimEndpoint target, SimRequest request) {
    long now = clock.nanoTime();
    if (request.stallDebtNanos > 0) {
      // The endpoint froze while serving it: the work resumes for as long as the freeze lasted.
      long debt = request.stallDebtNanos;
      request.stallDebtNanos = 0;
      schedule(debt, () -> complete(target, request));
      return;
    }
    SimRequest next = target.release(request);
    if (next != null) {
      serve(target, next);
    }
    if (!request.finished && !target.isDown()) {
      request.finished = true;
      request.selection.succeed();
      if (request.measured) {
        recorder.success(now - request.arrivalNanos);
      }
    }
  }

  private void timeOut(SimRequest request) {
    if (!request.finished) {
      fail(request);
    }
  }

  private void fail(SimRequest request) {
    if (request.finished) {
      return;
    }
    request.finished = true;
    request.selection.fail();
    if (request.measured) {
      recorder.error(clock.nanoTime(), scenario.timeout().toNanos());
    }
  }

  private void apply(TimedEvent event) {
    long now = clock.nanoTime();
    for (SimEndpoint target : endpoints) {
      if (!event.endpoints().contains(target.model.id())) {
        continue;
      }
      switch (event.action()) {
        case STALL -> target.stall(now, event.durationNanos());
        case SLOW_DOWN -> target.slowDown(event.factor());
        case RECOVER -> target.recover();
        case KILL -> target.kill().forEach(this::fail);
      }
    }
    if (event.everyNanos() > 0 && now + event.everyNanos() < durationNanos) {
      schedule(event.everyNanos(), () -> apply(event));
    }
  }

  private void scheduleHealthChecks() {
    Scenario.HealthChecks checks = scenario.healthChecks();
    if (!checks.enabled()) {
      return;
    }
    long interval = checks.interval().toNanos();
    for (int i = 0; i < endpoints.size(); i++) {
      SimEndpoint target = endpoints.get(i);
      // Spread over the interval, as a checker with jitter would.
      schedule(interval * (i + 1) / endpoints.size(), () -> check(target, interval));
    }
  }

  private void check(SimEndpoint target, long interval) {
    long now = clock.nanoTime();
    Scenario.HealthChecks checks = scenario.healthChecks();
    boolean passed = target.answersCheck(now, checks.timeout().toNanos());
    // The verdict is known when the answer comes back, or when the check times out.
    long verdictAt = passed ? 0L : target.isDown() ? scenario.failFast().toNanos() : checks.timeout().toNanos();
    schedule(verdictAt, () -> {
      EndpointStats stats = target.endpoint.stats();
      if (stats.activeHealth().record(passed, checks.healthyThreshold(), checks.unhealthyThreshold())) {
        if (passed) {
          stats.markAvailable(clock.nanoTime());
        }
        balancer.refresh();
      }
    });
    if (now + interval < durationNanos + scenario.timeout().toNanos()) {
      schedule(interval, () -> check(target, interval));
    }
  }

  private int drawZone() {
    double draw = zones.nextDouble();
    for (int z = 0; z < zoneCumulative.length; z++) {
      if (draw < zoneCumulative[z]) {
        return z;
      }
    }
    return zoneCumulative.length - 1;
  }

  private long nextArrivalGap(long now) {
    double progress = Math.min(1.0, (double) now / durationNanos);
    double rate = scenario.startRate() + (scenario.endRate() - scenario.startRate()) * progress;
    return Math.max(1L, (long) (-Math.log(1.0 - arrivals.nextDouble()) / rate * 1e9));
  }

  private void schedule(long delayNanos, Runnable action) {
    events.add(new Event(clock.nanoTime() + Math.max(0L, delayNanos), sequence++, action));
  }

  private record Event(long time, long sequence, Runnable action) implements Comparable<Event> {
    @Override
    public int compareTo(Event other) {
      int byTime = Long.compare(time, other.time);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }
}
