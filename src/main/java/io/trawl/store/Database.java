package io.trawl.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.nio.file.Path;
import java.util.List;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens a trawl SQLite file for writing through the Vert.x JDBC client and brings its schema up
 * to date. One connection: SQLite has one writer, and one connection keeps every statement in
 * submission order.
 */
public final class Database {
  private Database() {}

  /** A pool of one connection to {@code file} (created if missing), WAL mode, migrated. */
  public static Future<Pool> open(Vertx vertx, Path file) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // NORMAL under WAL: a commit survives a crash of the process (kill -9), which is the promise
    // we make; only a power cut may lose the last commits.
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(10_000);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    Pool pool = JDBCPool.pool(vertx, dataSource, new PoolOptions().setMaxSize(1).setName("trawl-store-" + file));
    return pool.withConnection(Database::migrate)
        .map(pool)
        .recover(err -> pool.close().transform(ignored -> Future.failedFuture(err)));
  }

  private static Future<Void> migrate(SqlConnection conn) {
    return conn.query("PRAGMA user_version").execute()
        .map(rows -> rows.iterator().next().getInteger(0))
        .compose(version -> applyFrom(conn, version));
  }

  private static Future<Void> applyFrom(SqlConnection conn, int version) {
    if (version > Migrations.CURRENT) {
      return Future.failedFuture(new IllegalStateException(
          "the database has schema version " + version + ", newer than this trawl (" + Migrations.CURRENT + ")"));
    }
    if (version == Migrations.CURRENT) {
      return Future.succeededFuture();
    }
    List<String> step = Migrations.STEPS.get(version);
    Future<Void> chain = conn.query("BEGIN IMMEDIATE").execute().mapEmpty();
    for (String sql : step) {
      chain = chain.compose(v -> conn.query(sql).execute().mapEmpty());
    }
    return chain
        .compose(v -> conn.query("PRAGMA user_version = " + (version + 1)).execute())
        .compose(v -> conn.query("COMMIT").execute())
        .recover(err -> conn.query("ROLLBACK").execute().transform(ignored -> Future.failedFuture(err)))
        .compose(v -> applyFrom(conn, version + 1));
  }

  /** The first column of the first row, as a long (0 when there is no row). */
  static long firstLong(io.vertx.sqlclient.RowSet<Row> rows) {
    var it = rows.iterator();
    if (!it.hasNext()) {
      return 0;
    }
    Long value = it.next().getLong(0);
    return value == null ? 0 : value;
  }
}
