package io.trafficcoordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest {

  @TempDir
  Path dir;

  private static ConfigVersion version(long n) {
    return new ConfigVersion(n, Instant.ofEpochMilli(1_000 * n), "alice", "api", "change " + n, "{\"n\":" + n + "}");
  }

  private static AuditEntry entry(String actor, String action, long atMillis) {
    return new AuditEntry(0, Instant.ofEpochMilli(atMillis), actor, "admin", action, "svc", "applied", 200, "req-1",
        "127.0.0.1", null, null, 1);
  }

  @Test
  void versionsAreContiguousAndSurviveReopening() throws Exception {
    Path file = dir.resolve("data/coordinator.db");
    try (SqliteStore store = SqliteStore.open(file)) {
      assertThat(store.latest()).isEmpty();
      assertThat(store.append(version(1), List.of(entry("alice", "seed", 1)))).isTrue();
      assertThat(store.append(version(2), List.of())).isTrue();
      // Not one more than the newest: refused, nothing stored.
      assertThat(store.append(version(2), List.of(entry("bob", "x", 3)))).isFalse();
      assertThat(store.append(version(4), List.of())).isFalse();
    }
    try (SqliteStore store = SqliteStore.open(file)) {
      assertThat(store.latest()).contains(version(2));
      assertThat(store.version(1)).contains(version(1));
      assertThat(store.version(3)).isEmpty();
      assertThat(store.history(null, 10)).extracting(ConfigVersion::version).containsExactly(2L, 1L);
      assertThat(store.history(2L, 10)).extracting(ConfigVersion::summary).containsExactly("change 1");
      assertThat(store.audit(new AuditQuery(null, null, null, null, null, 10))).extracting(AuditEntry::actor)
          .containsExactly("alice");
    }
    // The write-ahead log is a property of the file: a fresh connection finds it on.
    try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        var rows = connection.createStatement().executeQuery("PRAGMA journal_mode")) {
      rows.next();
      assertThat(rows.getString(1)).isEqualTo("wal");
    }
  }

  @Test
  void auditEntriesAreFilteredPagedAndPruned() throws Exception {
    try (SqliteStore store = SqliteStore.open(dir.resolve("a.db"))) {
      store.audit(List.of(entry("alice", "configure-load-balancing", 1_000), entry("bob", "rollback", 2_000),
          entry("alice", "rollback", 3_000), entry("carol", "configure-load-balancing", 4_000)));

      assertThat(store.audit(new AuditQuery("alice", null, null, null, null, 10))).extracting(AuditEntry::action)
          .containsExactly("rollback", "configure-load-balancing");
      assertThat(store.audit(new AuditQuery(null, "rollback", null, null, null, 10))).extracting(AuditEntry::actor)
          .containsExactly("alice", "bob");
      assertThat(store.audit(new AuditQuery(null, null, Instant.ofEpochMilli(2_000), Instant.ofEpochMilli(4_000), null, 10)))
          .extracting(AuditEntry::actor).containsExactly("alice", "bob");
      List<AuditEntry> first = store.audit(new AuditQuery(null, null, null, null, null, 2));
      assertThat(first).extracting(AuditEntry::actor).containsExactly("carol", "alice");
      assertThat(store.audit(new AuditQuery(null, null, null, null, first.get(1).id(), 2))).extracting(AuditEntry::actor)
          .containsExactly("bob", "alice");

      assertThat(store.pruneAudit(Instant.ofEpochMilli(3_000))).isEqualTo(2);
      assertThat(store.audit(new AuditQuery(null, null, null, null, null, 10))).hasSize(2);
    }
  }

  @Test
  void aFileThatIsNotADatabaseIsRefusedWithItsName() throws Exception {
    Path file = dir.resolve("broken.db");
    Files.writeString(file, "this is not a database, and it is long enough to have a header of sixteen bytes or more");
    assertThatThrownBy(() -> SqliteStore.open(file)).isInstanceOf(StoreException.class).hasMessageContaining("broken.db");
  }

  @Test
  void theMemoryStoreNeverReusesAnAuditIdAfterAPrune() {
    MemoryStore store = new MemoryStore();
    store.audit(List.of(entry("a", "x", 1_000), entry("b", "x", 2_000)));
    store.pruneAudit(Instant.ofEpochMilli(1_500));
    store.audit(List.of(entry("c", "x", 3_000)));
    assertThat(store.audit(new AuditQuery(null, null, null, null, null, 10))).extracting(AuditEntry::id).containsExactly(3L, 2L);
  }
}
