package io.trafficcoordinator.store;

import java.time.Instant;

/**
 * Which audit entries to list, newest first: each filter is optional (null).
 *
 * @param beforeId only entries older than this id (the paging cursor)
 */
public record AuditQuery(String actor, String action, Instant from, Instant to, Long beforeId, int limit) {}
