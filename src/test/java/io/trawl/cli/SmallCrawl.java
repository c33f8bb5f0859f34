package io.trawl.cli;

import io.trawl.CrawlJob;
import io.trawl.testing.Await;
import io.trawl.testing.ScriptedSite;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import picocli.CommandLine;

/**
 * A real crawl of a five-URL local site into {@code dir/trawl.db}, for the commands that read the
 * file: three pages (one whose title has a comma and quotes), a 404, and a seed on a closed port
 * that fails as {@code connect}. The crawl runs on the test's thread through {@link Main#run}.
 */
final class SmallCrawl {
  /** The title a page row is given after the crawl: a comma, quotes and a line break (a crawl collapses whitespace). */
  static final String AWKWARD_TITLE = "Rows, \"cells\"\nand lines";

  final Path db;
  final String home;
  final String refused;

  private SmallCrawl(Path db, String home, String refused) {
    this.db = db;
    this.home = home;
    this.refused = refused;
  }

  static SmallCrawl run(Path dir) throws Exception {
    Vertx vertx = Vertx.vertx(CrawlJob.vertxOptions());
    try {
      ScriptedSite site = new ScriptedSite(vertx).start()
          .page("/", "<title>Home</title><a href=\"/a\">a</a> <a href=\"/b\">b</a> <a href=\"/missing\">gone</a>"
              + " <a href=\"http://offsite.invalid/x\">elsewhere</a>")
          .page("/a", "<title>A, \"quoted\" page</title><a href=\"/b\">b</a>")
          .page("/b", "<title>Page b — généré</title>");
      var closed = Await.result(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
          .requestHandler(req -> req.response().end()).listen());
      String refused = "http://127.0.0.1:" + closed.actualPort() + "/";
      Await.result(closed.close());

      Path db = dir.resolve("trawl.db");
      Files.writeString(dir.resolve("seeds.txt"), site.url("/") + "\n" + refused + "\n");
      Path config = dir.resolve("config.yaml");
      Files.writeString(config, """
          crawl:
            seeds: %s
            db: %s
          fetch:
            per_host_rate: 1000/s
          retry:
            max_attempts: 1
          """.formatted(dir.resolve("seeds.txt"), db));
      int code = Main.run("crawl", "-c", config.toString());
      if (code != Main.OK) {
        throw new AssertionError("the crawl exited " + code);
      }
      return new SmallCrawl(db, site.url("/"), refused);
    } finally {
      Await.result(vertx.close());
    }
  }

  /** Gives the page {@code url} the {@link #AWKWARD_TITLE}, by a write the commands under test never make. */
  void giveAwkwardTitle(String url) throws SQLException {
    try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + db);
        PreparedStatement stmt = conn.prepareStatement("UPDATE pages SET title = ? WHERE url = ?")) {
      stmt.setString(1, AWKWARD_TITLE);
      stmt.setString(2, url);
      if (stmt.executeUpdate() != 1) {
        throw new AssertionError("no page " + url);
      }
    }
  }

  /**
   * A copy of the crawl's file at {@code file} with {@code sql} run on it (its {@code ?} bound to
   * {@code params}), for a test that needs rows the crawl cannot make without changing the shared file.
   */
  Path copyWith(Path file, String sql, Object... params) throws Exception {
    Files.copy(db, file);
    try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file);
        PreparedStatement stmt = conn.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        stmt.setObject(i + 1, params[i]);
      }
      stmt.executeUpdate();
    }
    return file;
  }

  /** Runs a command with out and err captured. */
  static Result execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  record Result(int code, String out, String err) {}
}
