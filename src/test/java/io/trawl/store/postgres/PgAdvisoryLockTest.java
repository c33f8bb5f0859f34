package io.trawl.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.store.StoreBackend;
import io.trawl.store.StoreBackends;
import io.trawl.store.StoreClaim;
import io.trawl.testing.Db;
import io.trawl.testing.EmbeddedPg;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A crawl's claim on a schema is free once {@link StoreClaim#close()} returns, not some time
 * later when the server has noticed its connection is gone: the next crawl, started the moment
 * the last one ended (a resume, a script), must be able to claim it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PgAdvisoryLockTest {
  private static final String HELD = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
      + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

  @Test
  void isFreeTheMomentItsClaimIsClosed() throws Exception {
    String db = EmbeddedPg.freshDatabase();
    StoreBackend backend = StoreBackends.of(db, "public");
    try (Connection watcher = Db.open(db, true); PreparedStatement held = watcher.prepareStatement(HELD)) {
      for (int i = 0; i < 20; i++) {
        StoreClaim claim = backend.claim();
        assertThat(count(held)).as("claim %d held", i).isEqualTo(1);
        claim.close();
        assertThat(count(held)).as("claim %d released", i).isZero();
      }
    }
  }

  private static long count(PreparedStatement stmt) throws Exception {
    try (ResultSet rs = stmt.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
