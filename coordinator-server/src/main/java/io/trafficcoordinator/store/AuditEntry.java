package io.trafficcoordinator.store;

import java.time.Instant;

/**
 * One line of the audit log: a change to the configuration, or an attempt that was refused.
 * Refusals of one kind from one client within a few seconds are one entry with a {@code count}.
 *
 * @param id assigned by the store; 0 before it is written
 * @param role the caller's role, or null when it had none (a refused token)
 * @param action the operation, for example {@code configure-load-balancing}
 * @param target what it acted on (a service name, a version), or null
 * @param outcome {@code applied}, {@code dry-run}, {@code unauthenticated}, {@code forbidden},
 *     {@code rate-limited}, {@code invalid}, {@code conflict}
 * @param status the HTTP status answered
 * @param diff for an applied change, the RFC 6902 patch from the version before (secrets redacted)
 * @param count how many attempts the entry stands for (1 for anything but aggregated refusals)
 */
public record AuditEntry(
    long id,
    Instant at,
    String actor,
    String role,
    String action,
    String target,
    String outcome,
    int status,
    String correlationId,
    String client,
    String diff,
    String detail,
    int count) {

  public AuditEntry withId(long assigned) {
    return new AuditEntry(assigned, at, actor, role, action, target, outcome, status, correlationId, client, diff, detail, count);
  }
}
