package io.trafficcoordinator.outlier;

import io.trafficcoordinator.endpoint.AnswerWatch;
import io.trafficcoordinator.endpoint.Endpoint;
import io.trafficcoordinator.endpoint.ServiceAnswers;
import java.util.ArrayList;
import java.util.List;

/**
 * Stall detection: finds the endpoints of a service that have gone silent, in milliseconds rather
 * than at a timeout.
 *
 * <pre>
 *   usual(e)     = p90 of e's answers over the last 10 s, or of the whole service's when e has
 *                  fewer than 20 there; no verdict at all while the service has fewer than 20
 *   threshold(e) = max(floor, latencyFactor × usual(e))
 *   stalled(e)   = e is not ejected
 *                  and waiting(e) &gt;= minimumWaiting          (requests sent in full, no answer yet)
 *                  and silence(e) &gt; threshold(e)            (since its last answer, or since requests began waiting)
 *                  and some other endpoint, not ejected, answered within threshold(e)
 * </pre>
 *
 * <p>The last condition keeps a slow dependency that delays every endpoint alike from taking them
 * all out: only an endpoint silent while its peers answer is stalled. The verdict ends when the
 * endpoint answers after it (an endpoint that was only paused, by a long GC say, answers its
 * requests late and is picked again), when it is ejected (the ejection takes over), or when it has
 * owed nothing for {@value #PROBE_AFTER_MILLIS} ms since the verdict, so that a recovered endpoint
 * that gets no traffic is tried again. The tries waiting on a stalled endpoint count as its
 * failures, so a true black hole soon reaches the consecutive-failures threshold and is ejected.
 * Pure decisions on the endpoints' lock-free state; the caller rebuilds its picker when a verdict
 * changed.
 */
public final class Stalls {

  /**
   * The usual latency is a p90, not a p99: over a few dozen answers a p99 is their slowest, such as
   * a first request that paid for a new connection, which would put the threshold out of reach.
   */
  private static final double USUAL_QUANTILE = 0.9;
  private static final long USUAL_MINIMUM_ANSWERS = 20;

  static final long PROBE_AFTER_MILLIS = 1_000;
  private static final long PROBE_AFTER_NANOS = PROBE_AFTER_MILLIS * 1_000_000L;

  private Stalls() {}

  /**
   * Updates each endpoint's stall verdict at {@code nowNanos}; returns the endpoints whose verdict
   * changed (empty, without allocating, when none did). One thread at a time per service.
   */
  public static List<Endpoint> judge(OutlierConfig.Stall config, List<Endpoint> endpoints, long nowNanos) {
    List<Endpoint> changed = List.of();
    for (Endpoint endpoint : endpoints) {
      boolean stalled = endpoint.stats().answerWatch().isStalled();
      boolean silent = stalled ? !verdictEnds(endpoint, nowNanos) : isSilent(config, endpoint, endpoints, nowNanos);
      if (silent == stalled) {
        continue;
      }
      if (silent) {
        endpoint.stats().markStalled(nowNanos);
      } else {
        boolean answered = answeredSinceVerdict(endpoint, nowNanos);
        endpoint.stats().clearStall();
        if (answered) {
          // It answers again: the tries given up on it do not keep it avoided. Ended by the probe
          // or by an ejection, its run of failures stands, so a black hole that only ever gets a
          // few tries a verdict still reaches the ejection threshold.
          endpoint.stats().freshStart(nowNanos);
        }
      }
      if (changed.isEmpty()) {
        changed = new ArrayList<>(2);
      }
      changed.add(endpoint);
    }
    return changed;
  }

  /** Ends every stall verdict (detection was turned off); returns the endpoints that had one. */
  public static List<Endpoint> clearAll(List<Endpoint> endpoints) {
    List<Endpoint> cleared = List.of();
    for (Endpoint endpoint : endpoints) {
      if (endpoint.stats().answerWatch().isStalled()) {
        endpoint.stats().clearStall();
        if (cleared.isEmpty()) {
          cleared = new ArrayList<>(2);
        }
        cleared.add(endpoint);
      }
    }
    return cleared;
  }

  /** Whether the stall verdict on {@code endpoint} ends at {@code nowNanos}. */
  private static boolean verdictEnds(Endpoint endpoint, long nowNanos) {
    long sinceVerdict = nowNanos - endpoint.stats().judgedAtNanos();
    return answeredSinceVerdict(endpoint, nowNanos) || endpoint.stats().isEjected(nowNanos)
        || (endpoint.stats().answerWatch().awaiting() == 0 && sinceVerdict >= PROBE_AFTER_NANOS);
  }

  private static boolean answeredSinceVerdict(Endpoint endpoint, long nowNanos) {
    return endpoint.stats().answerWatch().answeredWithin(nowNanos - endpoint.stats().judgedAtNanos(), nowNanos);
  }

  /**
   * The p90 of {@code endpoint}'s recent answers, or of its service's when it has too few of its own
   * (a black hole that never answered is judged by its peers' latency); NaN without enough of either.
   */
  private static double usualLatency(Endpoint endpoint, List<Endpoint> service, long nowNanos) {
    if (endpoint.stats().answers().count(nowNanos) >= USUAL_MINIMUM_ANSWERS) {
      return endpoint.stats().answers().quantileNanos(USUAL_QUANTILE, nowNanos);
    }
    return ServiceAnswers.quantileNanos(service, USUAL_QUANTILE, USUAL_MINIMUM_ANSWERS, nowNanos);
  }

  /** Whether {@code endpoint} is silent at {@code nowNanos} while a peer answers. */
  static boolean isSilent(OutlierConfig.Stall config, Endpoint endpoint, List<Endpoint> service, long nowNanos) {
    AnswerWatch watch = endpoint.stats().answerWatch();
    if (watch.awaiting() < config.minimumWaiting() || endpoint.stats().isEjected(nowNanos)) {
      return false;
    }
    long silence = watch.silenceNanos(nowNanos);
    if (silence <= config.floor().toNanos()) {
      return false; // the common case, decided without reading the histogram
    }
    double usual = usualLatency(endpoint, service, nowNanos);
    if (Double.isNaN(usual)) {
      return false; // no evidence of what is usual yet (a cold start, when every answer is slow)
    }
    long threshold = config.thresholdNanos(usual);
    if (silence <= threshold) {
      return false;
    }
    for (Endpoint peer : service) {
      if (peer != endpoint && !peer.stats().isEjected(nowNanos)
          && peer.stats().answerWatch().answeredWithin(threshold, nowNanos)) {
        return true;
      }
    }
    return false;
  }
}
