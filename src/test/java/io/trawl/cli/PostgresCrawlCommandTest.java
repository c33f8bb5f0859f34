package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.CrawlJob;
import io.trawl.store.StoreBackends;
import io.trawl.store.StoreClaim;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.EmbeddedPg;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.TrawlProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trawl crawl} into PostgreSQL as a user would run it: a server it cannot reach or a user
 * without rights ends with exit 1 and one line naming the server, before anything is fetched or
 * half created; a password given in the URL never reaches the output, the log or
 * {@code crawls.config}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PostgresCrawlCommandTest {
  private static final String PASSWORD = EmbeddedPg.LIMITED_PASSWORD;

  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;

  @BeforeEach
  void startSite() throws Exception {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = new ScriptedSite(vertx).start().page("/", "<title>Home</title><a href=\"/a\">a</a>").page("/a", "<title>A</title>");
    Files.writeString(dir.resolve("seeds.txt"), site.url("/") + "\n");
    Files.writeString(dir.resolve("config.yaml"), "fetch: {per_host_rate: 100/s}\n");
  }

  @AfterEach
  void stopSite() {
    Await.result(vertx.close());
  }

  @Test
  void endsWithExitOneNamingAServerItCannotReach() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }

    SmallCrawl.Result result = crawl("postgresql://crawler:" + PASSWORD + "@127.0.0.1:" + closed + "/shop");

    assertThat(result.code()).as(result.err()).isEqualTo(Main.FAILED);
    assertThat(result.err().lines()).hasSize(1).first().asString().contains("127.0.0.1:" + closed).doesNotContain(PASSWORD);
    assertThat(site.hits()).as("nothing fetched").isEmpty();
  }

  @Test
  void endsWithExitOneForAUserWithoutTheRightToCreateTablesCreatingNothing() throws Exception {
    String db = EmbeddedPg.freshDatabase();
    try (Connection conn = Db.open(db, false); Statement stmt = conn.createStatement()) {
      stmt.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
    }

    SmallCrawl.Result result = crawl(limitedUrl(db));

    assertThat(result.code()).as(result.err()).isEqualTo(Main.FAILED);
    assertThat(result.err()).contains("127.0.0.1:" + EmbeddedPg.port()).contains("no right").doesNotContain(PASSWORD);
    assertThat(Db.count(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isZero();
  }

  @Test
  void refusesASecondCrawlOnTheSameSchemaWithExitTwoTouchingNothing() {
    String db = EmbeddedPg.freshDatabase();
    try (StoreClaim first = StoreBackends.of(db, "public").claim()) {
      SmallCrawl.Result second = crawl(db);

      assertThat(second.code()).as(second.err()).isEqualTo(Main.BAD_INPUT);
      assertThat(second.err()).contains("another crawl");
      assertThat(Db.hasTable(db, "pages")).isFalse();
      assertThat(site.hits()).isEmpty();
    }
    assertThat(StoreBackends.of(db, "other").history().hasCrawl()).isFalse();
    try (StoreClaim otherSchema = StoreBackends.of(db, "other").claim()) {
      assertThat(otherSchema).isNotNull();
    }
  }

  @Test
  void keepsAPasswordGivenInTheUrlOutOfTheOutputTheLogAndTheCrawlsConfig() throws Exception {
    String db = EmbeddedPg.freshDatabase();
    Path log = dir.resolve("crawl.log");

    String output;
    try (TrawlProcess crawl = TrawlProcess.start("256m", log, "crawl", "-c", dir.resolve("config.yaml").toString(),
        "--seeds", dir.resolve("seeds.txt").toString(), "--db", limitedUrl(db))) {
      assertThat(crawl.exitCode(Duration.ofSeconds(60))).as(Files.readString(log)).isEqualTo(Main.OK);
      output = crawl.output();
    }
    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(2);
    assertThat(output).contains("127.0.0.1:" + EmbeddedPg.port()).doesNotContain(PASSWORD);
    String config = (String) Db.rows(db, "SELECT config FROM crawls").get(0).get("config");
    assertThat(config).doesNotContain(PASSWORD);
    assertThat(new JsonObject(config).getJsonObject("crawl").getString("db"))
        .isEqualTo(limitedUrl(db).replace(PASSWORD, "***"));
  }

  private static String limitedUrl(String db) {
    return "postgresql://" + EmbeddedPg.LIMITED_USER + ":" + PASSWORD + "@127.0.0.1:" + EmbeddedPg.port()
        + db.substring(db.lastIndexOf('/'));
  }

  private SmallCrawl.Result crawl(String url) {
    return SmallCrawl.execute("crawl", "-c", dir.resolve("config.yaml").toString(), "--seeds",
        dir.resolve("seeds.txt").toString(), "--db", url);
  }
}
