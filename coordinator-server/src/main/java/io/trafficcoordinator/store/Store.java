package io.trafficcoordinator.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable configuration versions and the audit log. Every method blocks on I/O: callers run them
 * off the event loop, on the store's one worker thread, which also serialises writes.
 */
public interface Store extends AutoCloseable {

  /** The newest version, or empty when nothing was ever stored. */
  Optional<ConfigVersion> latest() throws StoreException;

  /** Version {@code number}, or empty when there is none. */
  Optional<ConfigVersion> version(long number) throws StoreException;

  /** Up to {@code limit} versions older than {@code beforeVersion} (all when null), newest first; documents left out. */
  List<ConfigVersion> history(Long beforeVersion, int limit) throws StoreException;

  /**
   * Stores {@code next} and {@code audit} in one transaction, durably, if the newest version is
   * still {@code next.version() - 1}; returns false (and stores nothing) when it is not.
   */
  boolean append(ConfigVersion next, List<AuditEntry> audit) throws StoreException;

  /** Stores audit entries on their own (refusals). */
  void audit(List<AuditEntry> entries) throws StoreException;

  /** Audit entries matching {@code query}, newest first. */
  List<AuditEntry> audit(AuditQuery query) throws StoreException;

  /** Deletes audit entries older than {@code before}; returns how many. */
  int pruneAudit(Instant before) throws StoreException;

  @Override
  void close() throws StoreException;
}
