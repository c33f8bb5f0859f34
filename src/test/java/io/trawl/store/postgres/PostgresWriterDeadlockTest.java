package io.trawl.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.bus.FrontierUpdate;
import io.trawl.store.StoreBackend;
import io.trawl.store.StoreBackends;
import io.trawl.store.StoreWriter;
import io.trawl.testing.Db;
import io.trawl.testing.EmbeddedPg;
import io.trawl.testing.LogCapture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two cluster nodes' batches insert the same new URLs in different orders, each waiting for a row
 * the other inserted: PostgreSQL ends one transaction as a deadlock. The writer runs its batch
 * again instead of failing the node (a bench of three nodes lost two of them to this), and every
 * URL is in the frontier once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresWriterDeadlockTest {
  private static final String X = "http://127.0.0.1:1/x";
  private static final String Y = "http://127.0.0.1:1/y";

  @Test
  void aBatchThatLosesADeadlockRunsAgainAndEveryUrlIsStoredOnce() throws Exception {
    String db = EmbeddedPg.freshDatabase();
    StoreBackend store = StoreBackends.of(db, "public");
    try (StoreWriter writer = store.openWriter(false);
        Connection other = Db.open(db, false);
        LogCapture log = LogCapture.of(PostgresWriter.class.getName())) {
      other.setAutoCommit(false);
      try (Statement stmt = other.createStatement()) {
        // The writer's backend checks for the deadlock first (default 1 s), so it is the one ended.
        stmt.execute("SET deadlock_timeout = '20s'");
      }
      insert(other, Y); // the other node holds Y, uncommitted

      // The writer inserts X, then waits for the other's Y.
      CompletableFuture<Void> batch = CompletableFuture.runAsync(
          () -> writer.write(List.of(FrontierUpdate.ofSeeds(List.of(X, Y))), List.of(), List.of(), List.of(), 0));
      awaitWaiting(db);

      insert(other, X); // waits for the writer's X: a deadlock, which the server ends in the writer's session
      other.commit();

      batch.get(30, TimeUnit.SECONDS);
      assertThat(log.lines()).anyMatch(line -> line.contains("running it again"));
    }
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE url IN ('" + X + "', '" + Y + "')")).isEqualTo(2);
  }

  private static void insert(Connection conn, String url) throws Exception {
    try (PreparedStatement stmt = conn.prepareStatement(
        "INSERT INTO frontier (url, depth, partition) VALUES (?, 0, 0) ON CONFLICT (url) DO NOTHING")) {
      stmt.setString(1, url);
      stmt.executeUpdate();
    }
  }

  /** Until a session of the database waits for a lock (the writer, for the other's Y). */
  private static void awaitWaiting(String db) {
    org.awaitility.Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> Db.count(db,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0);
  }
}
