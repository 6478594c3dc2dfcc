package io.trafficcoordinator.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The store in one SQLite file: write-ahead log, {@code synchronous=FULL} (a commit is on disk
 * before it returns, so an acknowledged change survives a power cut, and a crash at any moment
 * leaves the last committed state), migrations applied at open, an integrity check at open.
 *
 * <p>One connection, used by one thread at a time (the store's worker); not thread-safe.
 */
public final class SqliteStore implements Store {

  private final Path file;
  private final Connection connection;

  private SqliteStore(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /** Opens (creating if need be) the store at {@code file} and brings its schema up to date. */
  public static SqliteStore open(Path file) throws StoreException {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new StoreException("cannot create the directory of " + file + ": " + e.getMessage(), e);
    }
    Connection connection;
    try {
      connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    } catch (SQLException e) {
      throw new StoreException("cannot open " + file + ": " + e.getMessage(), e);
    }
    SqliteStore store = new SqliteStore(file, connection);
    try {
      store.prepare();
    } catch (SQLException e) {
      store.closeQuietly();
      throw new StoreException("cannot use " + file + ": " + e.getMessage(), e);
    } catch (StoreException e) {
      store.closeQuietly();
      throw e;
    }
    return store;
  }

  private void prepare() throws SQLException, StoreException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA journal_mode=WAL");
      statement.execute("PRAGMA synchronous=FULL");
      statement.execute("PRAGMA busy_timeout=5000");
      try (ResultSet check = statement.executeQuery("PRAGMA quick_check")) {
        String verdict = check.next() ? check.getString(1) : "no answer";
        if (!"ok".equals(verdict)) {
          throw new StoreException(file + " failed its integrity check: " + verdict, null);
        }
      }
    }
    connection.setAutoCommit(false);
    Migrations.apply(connection);
  }

  @Override
  public Optional<ConfigVersion> latest() throws StoreException {
    return one("SELECT version, at_ms, actor, source, summary, document FROM config_versions ORDER BY version DESC LIMIT 1");
  }

  @Override
  public Optional<ConfigVersion> version(long number) throws StoreException {
    return one("SELECT version, at_ms, actor, source, summary, document FROM config_versions WHERE version = " + number);
  }

  private Optional<ConfigVersion> one(String sql) throws StoreException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      Optional<ConfigVersion> found = rows.next() ? Optional.of(versionOf(rows, true)) : Optional.empty();
      connection.commit();
      return found;
    } catch (SQLException e) {
      rollbackQuietly();
      throw failed("read a configuration version", e);
    }
  }

  @Override
  public List<ConfigVersion> history(Long beforeVersion, int limit) throws StoreException {
    String sql = "SELECT version, at_ms, actor, source, summary FROM config_versions WHERE version < ? ORDER BY version DESC LIMIT ?";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, beforeVersion == null ? Long.MAX_VALUE : beforeVersion);
      statement.setInt(2, limit);
      List<ConfigVersion> versions = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          versions.add(versionOf(rows, false));
        }
      }
      connection.commit();
      return versions;
    } catch (SQLException e) {
      rollbackQuietly();
      throw failed("read the configuration history", e);
    }
  }

  private static ConfigVersion versionOf(ResultSet rows, boolean withDocument) throws SQLException {
    return new ConfigVersion(rows.getLong(1), Instant.ofEpochMilli(rows.getLong(2)), rows.getString(3), rows.getString(4),
        rows.getString(5), withDocument ? rows.getString(6) : null);
  }

  @Override
  public boolean append(ConfigVersion next, List<AuditEntry> audit) throws StoreException {
    try {
      long newest;
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM config_versions")) {
        rows.next();
        newest = rows.getLong(1);
      }
      if (newest != next.version() - 1) {
        connection.rollback();
        return false;
      }
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO config_versions(version, at_ms, actor, source, summary, document) VALUES (?, ?, ?, ?, ?, ?)")) {
        insert.setLong(1, next.version());
        insert.setLong(2, next.at().toEpochMilli());
        insert.setString(3, next.actor());
        insert.setString(4, next.source());
        insert.setString(5, next.summary());
        insert.setString(6, next.document());
        insert.executeUpdate();
      }
      insertAudit(audit);
      connection.commit();
      return true;
    } catch (SQLException e) {
      rollbackQuietly();
      throw failed("store configuration version " + next.version(), e);
    }
  }

  @Override
  public void audit(List<AuditEntry> entries) throws StoreException {
    try {
      insertAudit(entries);
      connection.commit();
    } catch (SQLException e) {
      rollbackQuietly();
      throw failed("write the audit log", e);
    }
  }

  private void insertAudit(List<AuditEntry> entries) throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_log(at_ms, actor, role, action, target,"
        + " outcome, status, correlation_id, client, diff, detail, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (AuditEntry entry : entries) {
        insert.setLong(1, entry.at().toEpochMilli());
        insert.setString(2, entry.actor());
        insert.setString(3, entry.role());
        insert.setString(4, entry.action());
        insert.setString(5, entry.target());
        insert.setString(6, entry.outcome());
        insert.setInt(7, entry.status());
        insert.setString(8, entry.correlationId());
        insert.setString(9, entry.client());
        insert.setString(10, entry.diff());
        insert.setString(11, entry.detail());
        insert.setInt(12, entry.count());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  @Override
  public List<AuditEntry> audit(AuditQuery query) throws StoreException {
    StringBuilder sql = new StringBuilder("SELECT id, at_ms, actor, role, action, target, outcome, status, correlation_id,"
        + " client, diff, detail, count FROM audit_log WHERE 1 = 1");
    List<Object> values = new ArrayList<>();
    if (query.actor() != null) {
      sql.append(" AND actor = ?");
      values.add(query.actor());
    }
    if (query.action() != null) {
      sql.append(" AND action = ?");
      values.add(query.action());
    }
    if (query.from() != null) {
      sql.append(" AND at_ms >= ?");
      values.add(query.from().toEpochMilli());
    }
    if (query.to() != null) {
      sql.append(" AND at_ms < ?");
      values.add(query.to().toEpochMilli());
    }
    if (query.beforeId() != null) {
      sql.append(" AND id < ?");
      values.add(query.beforeId());
    }
    sql.append(" ORDER BY id DESC LIMIT ?");
    values.add(query.limit());
    try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
      for (int i = 0; i < values.size(); i++) {
        statement.setObject(i + 1, values.get(i));
      }
      List<AuditEntry> entries = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          entries.add(new AuditEntry(rows.getLong(1), Instant.ofEpochMilli(rows.getLong(2)), rows.getString(3),
              rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7), rows.getInt(8),
              rows.getString(9), rows.getString(10), rows.getString(11), rows.getString(12), rows.getInt(13)));
        }
      }
      connection.commit();
      return entries;
    } catch (SQLException e) {
      rollbackQuietly();
      throw failed("read the audit log", e);
    }
  }

  @Override
  public int pruneAudit(Instant before) throws StoreException {
    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM audit_log WHERE at_ms < ?")) {
      delete.setLong(1, before.toEpochMilli());
      int deleted = delete.executeUpdate();
      connection.commit();
      return deleted;
    } catch (SQLException e) {
      rollbackQuietly();
      throw failed("prune the audit log", e);
    }
  }

  private StoreException failed(String what, SQLException e) {
    return new StoreException("could not " + what + " in " + file + ": " + e.getMessage(), e);
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the next call reports it.
    }
  }

  private void closeQuietly() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Opening already failed; that is the error reported.
    }
  }

  @Override
  public void close() throws StoreException {
    try {
      connection.close();
    } catch (SQLException e) {
      throw failed("close", e);
    }
  }
}
