package io.trafficcoordinator.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A store that keeps everything in memory: nothing survives a restart. For tests and for a
 * coordinator whose configuration file is the only truth ({@code store.type: memory}).
 * Synchronised, so any thread may use it.
 */
public final class MemoryStore implements Store {

  private final List<ConfigVersion> versions = new ArrayList<>();
  private final List<AuditEntry> audit = new ArrayList<>();
  private long nextAuditId = 1;

  @Override
  public synchronized Optional<ConfigVersion> latest() {
    return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }

  @Override
  public synchronized Optional<ConfigVersion> version(long number) {
    return number < 1 || number > versions.size() ? Optional.empty() : Optional.of(versions.get((int) number - 1));
  }

  @Override
  public synchronized List<ConfigVersion> history(Long beforeVersion, int limit) {
    List<ConfigVersion> page = new ArrayList<>();
    for (int i = versions.size() - 1; i >= 0 && page.size() < limit; i--) {
      ConfigVersion v = versions.get(i);
      if (beforeVersion == null || v.version() < beforeVersion) {
        page.add(new ConfigVersion(v.version(), v.at(), v.actor(), v.source(), v.summary(), null));
      }
    }
    return page;
  }

  @Override
  public synchronized boolean append(ConfigVersion next, List<AuditEntry> entries) {
    if (next.version() != versions.size() + 1) {
      return false;
    }
    versions.add(next);
    audit(entries);
    return true;
  }

  @Override
  public synchronized void audit(List<AuditEntry> entries) {
    for (AuditEntry entry : entries) {
      audit.add(entry.withId(nextAuditId++));
    }
  }

  @Override
  public synchronized List<AuditEntry> audit(AuditQuery query) {
    List<AuditEntry> page = new ArrayList<>();
    for (int i = audit.size() - 1; i >= 0 && page.size() < query.limit(); i--) {
      AuditEntry e = audit.get(i);
      if ((query.actor() == null || query.actor().equals(e.actor()))
          && (query.action() == null || query.action().equals(e.action()))
          && (query.from() == null || !e.at().isBefore(query.from()))
          && (query.to() == null || e.at().isBefore(query.to()))
          && (query.beforeId() == null || e.id() < query.beforeId())) {
        page.add(e);
      }
    }
    return page;
  }

  @Override
  public synchronized int pruneAudit(Instant before) {
    int size = audit.size();
    audit.removeIf(e -> e.at().isBefore(before));
    return size - audit.size();
  }

  @Override
  public void close() {}
}
