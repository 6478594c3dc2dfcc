package io.trafficcoordinator.store;

import java.time.Instant;

/**
 * One version of the configuration as stored: the whole document (the configuration tree as JSON,
 * secrets included — the store is as private as the configuration file), who made it and how.
 *
 * @param version a positive number, one more than the version before
 * @param source how it came: {@code seed} (the file, into an empty store), {@code reload} (the
 *     file again, on SIGHUP), {@code api}, {@code rollback} or {@code import}
 * @param summary one line saying what changed
 */
public record ConfigVersion(long version, Instant at, String actor, String source, String summary, String document) {}
