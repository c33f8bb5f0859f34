package io.trawl.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trawl.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** URLs read as libpq reads them; the password from the URL, PGPASSWORD or the password file, and never printed. */
class PgUrlTest {
  @TempDir Path home;

  @Test
  void readsEveryPartOfAFullUrl() {
    PgUrl url = parse("postgresql://crawler:p%40ss@db.example.org:6543/shop%20data?sslmode=require&application_name=x", Map.of());

    assertThat(url.host()).isEqualTo("db.example.org");
    assertThat(url.port()).isEqualTo(6543);
    assertThat(url.user()).isEqualTo("crawler");
    assertThat(url.database()).isEqualTo("shop data");
    assertThat(url.properties("public").getProperty("password")).isEqualTo("p@ss");
    assertThat(url.properties("public").getProperty("sslmode")).isEqualTo("require");
    assertThat(url.properties("public").getProperty("ApplicationName")).isEqualTo("x");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.org:6543/shop+data");
  }

  @Test
  void masksThePasswordWhereverItIsPrinted() {
    PgUrl url = parse("postgres://crawler:hunter2@db:5432/shop?password=hunter3", Map.of());

    assertThat(url.display()).isEqualTo("postgres://crawler:***@db:5432/shop").doesNotContain("hunter");
    assertThat(url.toString()).doesNotContain("hunter");
  }

  @Test
  void takesWhatTheUrlLeavesOutFromTheEnvironmentThenTheDefaults() {
    assertThat(parse("postgresql://", Map.of()).display()).isEqualTo("postgresql://osuser@localhost:5432/osuser");
    PgUrl url = parse("postgresql:///", Map.of("PGHOST", "pg.internal", "PGPORT", "7000", "PGUSER", "u", "PGDATABASE", "d"));
    assertThat(url.display()).isEqualTo("postgresql://u@pg.internal:7000/d");
    assertThat(parse("postgresql://[::1]:5433/x", Map.of()).hostAndPort()).isEqualTo("[::1]:5433");
  }

  @Test
  void takesThePasswordFromTheUrlThenPgpasswordThenThePasswordFile() throws Exception {
    Path pgpass = home.resolve(".pgpass");
    Files.writeString(pgpass, """
        # comment
        other:*:*:*:wrong
        db:5432:shop:crawler:from\\:file
        """);
    Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));

    assertThat(password("postgresql://crawler:fromurl@db/shop", Map.of("PGPASSWORD", "fromenv"))).isEqualTo("fromurl");
    assertThat(password("postgresql://crawler@db/shop", Map.of("PGPASSWORD", "fromenv"))).isEqualTo("fromenv");
    assertThat(password("postgresql://crawler@db/shop", Map.of())).isEqualTo("from:file");
    assertThat(password("postgresql://crawler@db/other", Map.of())).isNull();
    assertThat(password("postgresql://crawler@db:5432/shop", Map.of("PGPASSFILE", home.resolve("none").toString()))).isNull();
  }

  @Test
  void ignoresAPasswordFileOthersCanRead() throws Exception {
    Path pgpass = home.resolve(".pgpass");
    Files.writeString(pgpass, "*:*:*:*:secret\n");
    Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(password("postgresql://crawler@db/shop", Map.of())).isNull();
  }

  @Test
  void refusesABadPortSeveralHostsAndUnknownParametersWithoutEchoingThePassword() {
    for (String bad : new String[] {
      "postgresql://u:hunter2@db:99999/x", "postgresql://u:hunter2@db:port/x", "postgresql://u:hunter2@a,b/x",
      "postgresql://u:hunter2@db/x?sslmod=require", "postgresql://u:hunter2%zz@db/x"}) {
      assertThatThrownBy(() -> parse(bad, Map.of())).as(bad).isInstanceOf(StoreException.class)
          .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(StoreException.Kind.BAD_LOCATION))
          .message().doesNotContain("hunter2");
    }
  }

  private String password(String text, Map<String, String> env) {
    return parse(text, env).properties("public").getProperty("password");
  }

  private PgUrl parse(String text, Map<String, String> env) {
    return PgUrl.parse(text, env, home, "osuser");
  }
}
