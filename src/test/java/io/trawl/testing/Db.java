package io.trawl.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.sqlite.SQLiteConfig;

/**
 * Reads rows of a crawl's database in tests, with plain JDBC on the test thread: a SQLite file
 * (read-only) or a database of {@link EmbeddedPg} given by its {@code postgresql://} URL. Integers
 * come back as Integer or Long as the driver gives them; compare through {@code Number} when both
 * backends run the test.
 */
public final class Db {
  private Db() {}

  public static List<Map<String, Object>> rows(Path file, String sql) {
    return rows(file.toString(), sql);
  }

  public static long count(Path file, String sql) {
    return count(file.toString(), sql);
  }

  public static List<Map<String, Object>> rows(String location, String sql) {
    try (Connection conn = open(location, true);
        Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery(sql)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
          row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new AssertionError("query failed: " + sql, e);
    }
  }

  public static long count(String location, String sql) {
    return ((Number) rows(location, sql).get(0).values().iterator().next()).longValue();
  }

  /** Runs a write the code under test never makes (to set up a case). */
  public static int update(String location, String sql, Object... params) {
    try (Connection conn = open(location, false); var stmt = conn.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        stmt.setObject(i + 1, params[i]);
      }
      return stmt.executeUpdate();
    } catch (SQLException e) {
      throw new AssertionError("update failed: " + sql, e);
    }
  }

  /** Whether the database holds the table {@code name} (its file or database may not even exist yet). */
  public static boolean hasTable(String location, String name) {
    if (!TestBackend.isPostgres(location)) {
      return java.nio.file.Files.exists(Path.of(location))
          && count(location, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + name + "'") > 0;
    }
    return count(location, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '" + name + "'") > 0;
  }

  /** A JDBC connection to {@code location}: a SQLite file, or a {@code postgresql://user@host:port/db} URL without password. */
  public static Connection open(String location, boolean readOnly) throws SQLException {
    if (TestBackend.isPostgres(location)) {
      String rest = location.substring(location.indexOf("://") + 3);
      int at = rest.indexOf('@');
      Properties props = new Properties();
      props.setProperty("user", rest.substring(0, at));
      return DriverManager.getConnection("jdbc:postgresql://" + rest.substring(at + 1), props);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(readOnly);
    return DriverManager.getConnection("jdbc:sqlite:" + location, config.toProperties());
  }
}
