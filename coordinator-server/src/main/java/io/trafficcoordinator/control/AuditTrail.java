package io.trafficcoordinator.control;

import io.trafficcoordinator.store.AuditEntry;
import io.trafficcoordinator.versioning.VersionedConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records refused attempts in the audit log without letting a flood of them become a flood of
 * writes: refusals are counted in memory per client, caller, action, outcome and status, and
 * written every {@link #FLUSH_EVERY} as one entry each with its count, and at most one write per
 * window whatever the rate. A batch that cannot be written is kept for the next flush; beyond
 * {@link #MAX_KINDS_PER_FLUSH} kinds in a window the rest are counted as "(other clients)". What is
 * pending when the process is killed (at most one window) is lost. Changes that were made are not here: they are audited in
 * the same transaction that stores them ({@link VersionedConfig}). Also prunes entries older than
 * the retention, hourly.
 *
 * <p>Thread-safe: {@link #refused} may be called from any event loop.
 */
final class AuditTrail {

  static final Duration FLUSH_EVERY = Duration.ofSeconds(2);
  /** Distinct kinds (client, caller, action, outcome) kept per window; more are folded into one. */
  static final int MAX_KINDS_PER_FLUSH = 1000;
  private static final Logger LOG = LoggerFactory.getLogger("audit");

  private record Key(String client, String actor, String role, String action, String outcome, int status) {}

  private static final class Tally {
    Instant first;
    String correlationId;
    String detail;
    String target;
    int count;
  }

  private final VersionedConfig versions;
  private final Clock wallClock;
  private final Duration retention;
  private Map<Key, Tally> pending = new LinkedHashMap<>();

  AuditTrail(VersionedConfig versions, Clock wallClock, Duration retention) {
    this.versions = versions;
    this.wallClock = wallClock;
    this.retention = retention;
  }

  /** Counts a refused attempt; it is written with the next flush. */
  synchronized void refused(String client, String actor, String role, String action, String target, String outcome,
      int status, String correlationId, String detail) {
    Key key = new Key(client, actor, role, action, outcome, status);
    if (!pending.containsKey(key) && pending.size() >= MAX_KINDS_PER_FLUSH) {
      // A flood from many clients: the rest of this window is counted under one entry.
      key = new Key("(other clients)", null, null, action, outcome, status);
    }
    Tally tally = pending.computeIfAbsent(key, k -> new Tally());
    if (tally.count == 0) {
      tally.first = wallClock.instant();
    }
    tally.count++;
    tally.correlationId = correlationId;
    tally.detail = detail;
    tally.target = target;
  }

  /** Writes what was counted since the last flush, one entry per kind of refusal. */
  void flush() {
    Map<Key, Tally> batch;
    synchronized (this) {
      if (pending.isEmpty()) {
        return;
      }
      batch = pending;
      pending = new LinkedHashMap<>();
    }
    List<AuditEntry> entries = new ArrayList<>(batch.size());
    batch.forEach((key, tally) -> entries.add(new AuditEntry(0, tally.first, key.actor(), key.role(), key.action(),
        tally.target, key.outcome(), key.status(), tally.correlationId, key.client(), null,
        tally.count == 1 ? tally.detail : tally.count + " attempts within " + FLUSH_EVERY.toSeconds() + " s; last: " + tally.detail,
        tally.count)));
    versions.read(() -> {
      versions.store().audit(entries);
      return null;
    }).onFailure(failed -> {
      LOG.error("could not write {} audit entr(ies) of refused attempts, kept for the next try: {}", entries.size(),
          failed.getMessage());
      putBack(batch);
    });
  }

  /** Merges a batch that could not be written back into what is pending. */
  private synchronized void putBack(Map<Key, Tally> batch) {
    batch.forEach((key, tally) -> pending.merge(key, tally, (waiting, earlier) -> {
      waiting.first = earlier.first;
      waiting.count += earlier.count;
      return waiting;
    }));
  }

  /** Deletes entries older than the retention. */
  void prune() {
    Instant before = wallClock.instant().minus(retention);
    versions.read(() -> versions.store().pruneAudit(before))
        .onSuccess(deleted -> {
          if (deleted > 0) {
            LOG.info("deleted {} audit entr(ies) older than {}", deleted, before);
          }
        })
        .onFailure(failed -> LOG.error("could not prune the audit log: {}", failed.getMessage()));
  }
}
