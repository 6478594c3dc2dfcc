package io.trafficcoordinator.versioning;

import io.trafficcoordinator.store.Store;
import io.trafficcoordinator.store.StoreException;
import java.util.Map;

/**
 * A change to make to the traffic configuration, and who asks for it (for the audit log).
 *
 * @param actor who: a token's subject, or {@code file} for the configuration file
 * @param role the actor's role, or null
 * @param source {@code api}, {@code reload}, {@code rollback} or {@code import}
 * @param action the audited operation, for example {@code configure-load-balancing}
 * @param target what it changes (a service name, a version), or null
 * @param expectedVersion when set, the change is made only if this is the current version (else 409)
 * @param dryRun validate and compute the diff, store and apply nothing
 * @param edit turns a copy of the current traffic tree into the next one
 */
public record ConfigChangeRequest(
    String actor,
    String role,
    String source,
    String action,
    String target,
    String client,
    String correlationId,
    Long expectedVersion,
    boolean dryRun,
    Edit edit) {

  /** Computes the next traffic tree; may throw {@link ConfigRefused}; runs on the store's thread. */
  @FunctionalInterface
  public interface Edit {
    Map<String, Object> apply(Map<String, Object> current, Store store) throws StoreException;
  }
}
