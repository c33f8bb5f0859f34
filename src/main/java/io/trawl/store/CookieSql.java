package io.trawl.store;

import io.trawl.bus.CookieChanges;
import io.trawl.bus.CookieRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code cookies} table's statements, the same on SQLite and PostgreSQL (flags as 0/1 on
 * SQLite, booleans on PostgreSQL; JDBC's setBoolean writes either). {@code expires_at} is epoch ms,
 * NULL for a session cookie. Used by both backends' writers on the store's writer thread.
 */
public final class CookieSql {
  private static final String UPSERT =
      """
      INSERT INTO cookies (domain, path, name, value, host_only, secure, http_only, expires_at, created_at, last_access)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (domain, path, name) DO UPDATE SET
        value = excluded.value, host_only = excluded.host_only, secure = excluded.secure,
        http_only = excluded.http_only, expires_at = excluded.expires_at, created_at = excluded.created_at,
        last_access = excluded.last_access""";
  private static final String DELETE = "DELETE FROM cookies WHERE domain = ? AND path = ? AND name = ?";
  private static final String SELECT =
      """
      SELECT domain, path, name, value, host_only, secure, http_only, expires_at, created_at, last_access
      FROM cookies ORDER BY created_at""";

  private CookieSql() {}

  /** Applies {@code changes} on {@code conn} (not committed: the caller's transaction). */
  public static void save(Connection conn, CookieChanges changes) throws SQLException {
    try (PreparedStatement upsert = conn.prepareStatement(UPSERT); PreparedStatement delete = conn.prepareStatement(DELETE)) {
      for (CookieRecord c : changes.saved()) {
        upsert.setString(1, c.domain());
        upsert.setString(2, c.path());
        upsert.setString(3, c.name());
        upsert.setString(4, c.value());
        upsert.setBoolean(5, c.hostOnly());
        upsert.setBoolean(6, c.secure());
        upsert.setBoolean(7, c.httpOnly());
        if (c.expiresAtMs() == 0) {
          upsert.setNull(8, Types.BIGINT);
        } else {
          upsert.setLong(8, c.expiresAtMs());
        }
        upsert.setLong(9, c.createdAtMs());
        upsert.setLong(10, c.lastAccessMs());
        upsert.addBatch();
      }
      for (CookieRecord c : changes.removed()) {
        delete.setString(1, c.domain());
        delete.setString(2, c.path());
        delete.setString(3, c.name());
        delete.addBatch();
      }
      upsert.executeBatch();
      delete.executeBatch();
    }
  }

  /** Every cookie the table holds, oldest first. */
  public static List<CookieRecord> load(Connection conn) throws SQLException {
    List<CookieRecord> cookies = new ArrayList<>();
    try (PreparedStatement stmt = conn.prepareStatement(SELECT); ResultSet rs = stmt.executeQuery()) {
      while (rs.next()) {
        cookies.add(new CookieRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getBoolean(5), rs.getBoolean(6), rs.getBoolean(7), rs.getLong(8), rs.getLong(9), rs.getLong(10)));
      }
    }
    return cookies;
  }
}
