package io.trawl.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trawl.store.StoreException;
import io.trawl.testing.Db;
import io.trawl.testing.EmbeddedPg;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that cannot be reached, credentials it refuses, a user without the rights to create
 * the tables: each fails as UNAVAILABLE (exit 1 on the command line) with a message naming the
 * server and what failed, never the password, and leaves nothing half created.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresConnectTest {
  @TempDir Path home;

  @Test
  void namesTheServerItCannotReach() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    PostgresBackend backend = backend("postgresql://u:hunter2@127.0.0.1:" + closed + "/x", Map.of());

    assertThatThrownBy(backend::history).isInstanceOf(StoreException.class)
        .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(StoreException.Kind.UNAVAILABLE))
        .message().contains("127.0.0.1:" + closed).contains("connection refused").doesNotContain("hunter2");
  }

  @Test
  void saysTheCredentialsWereRefusedWithoutThePassword() {
    String db = EmbeddedPg.freshDatabase();
    PostgresBackend backend = backend(limited(db, "not-the-password"), Map.of());

    assertThatThrownBy(() -> backend.openWriter(false)).isInstanceOf(StoreException.class)
        .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(StoreException.Kind.UNAVAILABLE))
        .message().contains("127.0.0.1:" + EmbeddedPg.port()).contains(EmbeddedPg.LIMITED_USER).contains("refused")
        .doesNotContain("not-the-password");
  }

  @Test
  void saysNoPasswordWasGivenWhenTheServerAsksForOne() {
    String db = EmbeddedPg.freshDatabase();
    PostgresBackend backend = backend(EmbeddedPg.url(EmbeddedPg.LIMITED_USER, database(db)), Map.of());

    assertThatThrownBy(backend::history).isInstanceOf(StoreException.class).message().contains("PGPASSWORD");
  }

  @Test
  void connectsWithThePasswordFromPgpassword() {
    String db = EmbeddedPg.freshDatabase();
    PostgresBackend backend = backend(EmbeddedPg.url(EmbeddedPg.LIMITED_USER, database(db)),
        Map.of("PGPASSWORD", EmbeddedPg.LIMITED_PASSWORD));

    assertThat(backend.history().hasCrawl()).isFalse();
  }

  @Test
  void refusesAUserWithoutTheRightToCreateTablesLeavingNothingHalfCreated() throws Exception {
    String db = EmbeddedPg.freshDatabase();
    try (Connection conn = Db.open(db, false); Statement stmt = conn.createStatement()) {
      stmt.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
      // It may create the version table but not the rest: the whole migration must roll back.
      stmt.execute("CREATE TABLE trawl_schema_version (version integer NOT NULL)");
      stmt.execute("GRANT ALL ON trawl_schema_version TO " + EmbeddedPg.LIMITED_USER);
    }
    PostgresBackend backend = backend(limited(db, EmbeddedPg.LIMITED_PASSWORD), Map.of());

    assertThatThrownBy(() -> backend.openWriter(false)).isInstanceOf(StoreException.class)
        .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(StoreException.Kind.UNAVAILABLE))
        .message().contains("127.0.0.1:" + EmbeddedPg.port()).contains("no right").doesNotContain(EmbeddedPg.LIMITED_PASSWORD);
    assertThat(Db.hasTable(db, "crawls")).isFalse();
    assertThat(Db.count(db, "SELECT count(*) FROM trawl_schema_version")).isZero();

    PostgresBackend inOwnSchema = PostgresBackend.of(limited(db, EmbeddedPg.LIMITED_PASSWORD), "mine");
    assertThatThrownBy(() -> inOwnSchema.openWriter(false)).isInstanceOf(StoreException.class).message().contains("no right");
    assertThat(Db.count(db, "SELECT count(*) FROM pg_namespace WHERE nspname = 'mine'")).isZero();
  }

  private static String limited(String db, String password) {
    return "postgresql://" + EmbeddedPg.LIMITED_USER + ":" + password + "@127.0.0.1:" + EmbeddedPg.port() + "/" + database(db);
  }

  private static String database(String url) {
    return url.substring(url.lastIndexOf('/') + 1);
  }

  private PostgresBackend backend(String url, Map<String, String> env) {
    return new PostgresBackend(new PgConnector(PgUrl.parse(url, env, home, "osuser"), "public"));
  }
}
