package io.trawl.store.postgres;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Binds a statement's parameters in order, each a whole column as an array (PostgreSQL's
 * {@code unnest} turns them back into rows). On the store's writer thread.
 */
final class ArrayBinder {
  private final PreparedStatement stmt;
  private int next = 1;

  ArrayBinder(PreparedStatement stmt) {
    this.stmt = stmt;
  }

  void text(String value) throws SQLException {
    stmt.setString(next++, value);
  }

  void texts(List<String> values) throws SQLException {
    stmt.setArray(next++, stmt.getConnection().createArrayOf("text", values.toArray(new String[0])));
  }

  void ints(List<Integer> values) throws SQLException {
    stmt.setArray(next++, stmt.getConnection().createArrayOf("int4", values.toArray(new Integer[0])));
  }

  void bools(List<Boolean> values) throws SQLException {
    stmt.setArray(next++, stmt.getConnection().createArrayOf("bool", values.toArray(new Boolean[0])));
  }

  void longValue(long value) throws SQLException {
    stmt.setLong(next++, value);
  }

  void longs(List<Long> values) throws SQLException {
    stmt.setArray(next++, stmt.getConnection().createArrayOf("int8", values.toArray(new Long[0])));
  }
}
