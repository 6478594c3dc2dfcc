package io.trafficcoordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The store's schema, as numbered steps applied in order, each in its own transaction and recorded
 * in {@code schema_migrations}; a store already at the newest step is left alone. Steps are only
 * ever added, never edited.
 */
final class Migrations {

  private static final List<List<String>> STEPS = List.of(
      List.of(
          "CREATE TABLE config_versions (version INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, actor TEXT NOT NULL,"
              + " source TEXT NOT NULL, summary TEXT, document TEXT NOT NULL)",
          "CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL, actor TEXT, role TEXT,"
              + " action TEXT NOT NULL, target TEXT, outcome TEXT NOT NULL, status INTEGER NOT NULL, correlation_id TEXT,"
              + " client TEXT, diff TEXT, detail TEXT, count INTEGER NOT NULL DEFAULT 1)",
          "CREATE INDEX audit_log_at ON audit_log (at_ms)",
          "CREATE INDEX audit_log_actor ON audit_log (actor, id)",
          "CREATE INDEX audit_log_action ON audit_log (action, id)"));

  private Migrations() {}

  /** Brings the schema up to date; the connection is in manual-commit mode. */
  static void apply(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS schema_migrations (step INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL)");
      connection.commit();
    }
    int done;
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(step), 0) FROM schema_migrations")) {
      rows.next();
      done = rows.getInt(1);
    }
    for (int step = done + 1; step <= STEPS.size(); step++) {
      try (Statement statement = connection.createStatement()) {
        for (String sql : STEPS.get(step - 1)) {
          statement.execute(sql);
        }
      }
      try (PreparedStatement record = connection.prepareStatement("INSERT INTO schema_migrations (step, at_ms) VALUES (?, ?)")) {
        record.setInt(1, step);
        record.setLong(2, System.currentTimeMillis());
        record.executeUpdate();
      }
      connection.commit();
    }
  }
}
