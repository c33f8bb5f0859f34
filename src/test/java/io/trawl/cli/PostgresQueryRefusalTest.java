package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.testing.Db;
import io.trawl.testing.EmbeddedPg;
import io.trawl.testing.TestBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code trawl query} on PostgreSQL tried with every way past a read-only transaction we know of,
 * as the superuser (the worst case: every function is allowed to it): each is refused with exit 2
 * and leaves the database, its settings, the server's files and the other connections as they were.
 * dblink and adminpack are installed, so their functions would really work if let through.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PostgresQueryRefusalTest {
  @TempDir static Path dir;
  private static SmallCrawl crawl;
  private static Connection bystander;
  private static int bystanderPid;

  @BeforeAll
  static void crawlAndConnect() throws Exception {
    crawl = SmallCrawl.run(TestBackend.POSTGRES, dir);
    try (Connection conn = Db.open(crawl.db, false); Statement stmt = conn.createStatement()) {
      stmt.execute("CREATE EXTENSION dblink");
      stmt.execute("CREATE EXTENSION adminpack");
      stmt.execute("SELECT lo_from_bytea(4242, 'secret'::bytea)");
    }
    bystander = Db.open(crawl.db, false);
    try (Statement stmt = bystander.createStatement(); var rs = stmt.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      bystanderPid = rs.getInt(1);
    }
  }

  @AfterAll
  static void closeBystander() throws Exception {
    bystander.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    // writes a read-only transaction refuses anyway
    "insert into pages (url, depth, fetched_at, elapsed_ms, bytes, attempts) values ('http://x/', 0, 'now', 0, 0, 1)",
    "with gone as (delete from pages returning url) select count(*) from gone",
    "select * into extra from pages",
    "select nextval(pg_get_serial_sequence('crawls', 'id'))",
    "select * from pages for update",
    "explain analyze delete from pages",
    "select lo_unlink(4242)",
    // statements other than a query
    "copy pages to '%FILE%'",
    "copy (select * from pages) to program 'touch %FILE%'",
    "copy pages from stdin",
    "set default_transaction_read_only = off",
    "set transaction read write",
    "set session characteristics as transaction read write",
    "reset all",
    "do $$ begin delete from pages; end $$",
    "commit",
    "create table extra (x int)",
    "call nothing()",
    "vacuum pages",
    "lock table pages",
    "listen somewhere",
    // functions with effects outside the transaction
    "select pg_terminate_backend(%PID%)",
    "select pg_cancel_backend(%PID%)",
    "select * from pages where pg_catalog.pg_terminate_backend(%PID%)",
    "select \"pg_terminate_backend\"(%PID%)",
    "select U&\"pg\\005fterminate\\005fbackend\"(%PID%)",
    "select lo_export(4242, '%FILE%')",
    "select pg_file_write('%FILE%', 'x', false)",
    "select dblink_exec('host=127.0.0.1 port=%PORT% dbname=%DB% user=postgres', 'delete from pages')",
    "select * from dblink('host=127.0.0.1 port=%PORT% dbname=%DB% user=postgres', 'delete from pages returning 1') as t(x int)",
    "select set_config('default_transaction_read_only', 'off', false)",
    "select query_to_xml('select pg_terminate_backend(%PID%)', true, true, '')",
    "select pg_reload_conf()",
    "select pg_read_file('postgresql.conf')",
    "select pg_advisory_lock(1), pg_notify('x', 'y')",
    // a second statement, however it is hidden
    "select 1; delete from pages",
    "select E'\\''; delete from pages; --'",
    "select $$;$$; delete from pages",
    "select 1 /* nested /* comment */ ; */; delete from pages",
    "select 1; commit; delete from pages",
    "select 1; set transaction read write; delete from pages",
  })
  void refusesAndChangesNothing(String template) throws Exception {
    Path file = dir.resolve("escaped.out");
    String sql = template.replace("%FILE%", file.toString()).replace("%PID%", String.valueOf(bystanderPid))
        .replace("%PORT%", String.valueOf(EmbeddedPg.port())).replace("%DB%", database());
    List<Object> before = snapshot();

    SmallCrawl.Result result = SmallCrawl.execute("query", "--db", crawl.db, sql);

    assertThat(result.code()).as(result.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(result.err()).startsWith("trawl: query: ");
    assertThat(snapshot()).isEqualTo(before);
    assertThat(file).doesNotExist();
    assertThat(bystander.isValid(5)).as("the other connection is alive").isTrue();
  }

  @Test
  void stillAnswersQueriesThatLookLikeTheRefusedOnesButAreNot() {
    SmallCrawl.Result result = SmallCrawl.execute("query", "--db", crawl.db, "--csv",
        "select 'pg_terminate_backend; delete' as text, $x$ ; $x$ as semicolon, count(*) from pages where url like E'%\\'%' or true");

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    assertThat(result.out()).contains("pg_terminate_backend; delete, ; ,5");
  }

  private static String database() {
    return crawl.db.substring(crawl.db.lastIndexOf('/') + 1);
  }

  private static List<Object> snapshot() throws Exception {
    List<Object> state = new ArrayList<>();
    for (String table : List.of("pages", "urls", "link_ids", "items", "frontier", "crawls", "downloads")) {
      state.add(Db.rows(crawl.db, "select * from " + table + " order by ctid").toString());
    }
    state.addAll(catalog(crawl.db));
    state.add(Db.rows(crawl.db, "select name, setting from pg_settings where source not in ('default', 'override', 'client', 'session') order by name").toString());
    state.add(Db.rows(crawl.db, "select oid from pg_largeobject_metadata order by oid").toString());
    state.add(Files.exists(dir.resolve("extra")));
    return state;
  }

  /** The schema of a PostgreSQL database: its relations, columns, functions and version. */
  static List<Object> catalog(String db) {
    return List.of(
        Db.rows(db, "select table_name, column_name, data_type from information_schema.columns"
            + " where table_schema = 'public' order by 1, 2").toString(),
        Db.rows(db, "select c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            + " where n.nspname = 'public' order by 1").toString(),
        Db.rows(db, "select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
            + " where n.nspname = 'public' order by 1").toString(),
        Db.rows(db, "select version from trawl_schema_version").toString());
  }
}
