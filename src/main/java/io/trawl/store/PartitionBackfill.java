package io.trawl.store;

import io.trawl.core.HostPartitions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives the {@code frontier} rows of a database migrated to schema version 8 their host partition
 * ({@link HostPartitions}), which neither SQLite nor PostgreSQL can compute in SQL: read in id
 * order, a chunk at a time, and updated in the migration's own transaction. Plain JDBC that both
 * backends run; blocking, the writer thread.
 */
public final class PartitionBackfill {
  private static final int CHUNK = 10_000;
  private static final String SELECT = "SELECT id, url FROM frontier WHERE id > ? ORDER BY id LIMIT " + CHUNK;
  private static final String UPDATE = "UPDATE frontier SET partition = ? WHERE id = ?";

  private PartitionBackfill() {}

  /** Sets {@code frontier.partition} of every row; leaves the transaction open. Returns the rows updated. */
  public static long run(Connection conn) throws SQLException {
    long updated = 0;
    long after = 0;
    try (PreparedStatement select = conn.prepareStatement(SELECT); PreparedStatement update = conn.prepareStatement(UPDATE)) {
      while (true) {
        select.setLong(1, after);
        List<long[]> chunk = new ArrayList<>(CHUNK);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            chunk.add(new long[] {rs.getLong(1), HostPartitions.ofUrl(rs.getString(2))});
          }
        }
        if (chunk.isEmpty()) {
          return updated;
        }
        for (long[] row : chunk) {
          update.setInt(1, (int) row[1]);
          update.setLong(2, row[0]);
          update.addBatch();
        }
        update.executeBatch();
        updated += chunk.size();
        after = chunk.get(chunk.size() - 1)[0];
      }
    }
  }
}
