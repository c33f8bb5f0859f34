package io.trawl.cli;

import io.trawl.CrawlJob;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.EmbeddedPg;
import io.trawl.testing.LoopbackServer;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.TestBackend;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * A real crawl of a five-URL local site into a fresh database of the backend under test (a SQLite
 * file in {@code dir}, or a PostgreSQL database), for the commands that read it: three pages (one
 * whose title has a comma and quotes), a 404, and a seed on a closed port that fails as
 * {@code connect}; the rule {@value #RULE} makes an item of each page, its fields {@code title}
 * then {@code a} (an order jsonb would not keep on its own). The crawl runs on the test's thread
 * through {@link Main#run}.
 */
final class SmallCrawl {
  /** The title a page row is given after the crawl: a comma, quotes and a line break (a crawl collapses whitespace). */
  static final String AWKWARD_TITLE = "Rows, \"cells\"\nand lines";
  static final String RULE = "titles";

  final TestBackend backend;
  final String db;
  final String home;
  final String refused;

  private SmallCrawl(TestBackend backend, String db, String home, String refused) {
    this.backend = backend;
    this.db = db;
    this.home = home;
    this.refused = refused;
  }

  static SmallCrawl run(Path dir) throws Exception {
    return run(TestBackend.SQLITE, dir);
  }

  static SmallCrawl run(TestBackend backend, Path dir) throws Exception {
    Vertx vertx = Vertx.vertx(CrawlJob.vertxOptions());
    try {
      ScriptedSite site = new ScriptedSite(vertx).start()
          .page("/", "<title>Home</title><a href=\"/a\">a</a> <a href=\"/b\">b</a> <a href=\"/missing\">gone</a>"
              + " <a href=\"http://offsite.invalid/x\">elsewhere</a>")
          .page("/a", "<title>A, \"quoted\" page</title><a href=\"/b\">b</a>")
          .page("/b", "<title>Page b — généré</title>");
      String refused = LoopbackServer.refusedUrl(vertx);

      Files.createDirectories(dir);
      String db = backend.freshDatabase(dir);
      Files.writeString(dir.resolve("seeds.txt"), site.url("/") + "\n" + refused + "\n");
      Path config = dir.resolve("config.yaml");
      Files.writeString(config, """
          crawl:
            seeds: %s
            db: '%s'
          fetch:
            per_host_rate: 1000/s
          retry:
            max_attempts: 1
          rules:
            - name: %s
              fields: {title: title, a: a}
          """.formatted(dir.resolve("seeds.txt"), db, RULE));
      int code = Main.run("crawl", "-c", config.toString());
      if (code != Main.OK) {
        throw new AssertionError("the crawl exited " + code);
      }
      return new SmallCrawl(backend, db, site.url("/"), refused);
    } finally {
      Await.result(vertx.close());
    }
  }

  /** Gives the page {@code url} the {@link #AWKWARD_TITLE}, by a write the commands under test never make. */
  void giveAwkwardTitle(String url) {
    if (Db.update(db, "UPDATE pages SET title = ? WHERE url = ?", AWKWARD_TITLE, url) != 1) {
      throw new AssertionError("no page " + url);
    }
  }

  /**
   * A copy of the crawl's database (a file at {@code file}, or a new PostgreSQL database) with
   * {@code sql} run on it (its {@code ?} bound to {@code params}), for a test that needs rows the
   * crawl cannot make without changing the shared database; returns its {@code --db}.
   */
  String copyWith(Path file, String sql, Object... params) throws Exception {
    String copy;
    if (backend == TestBackend.SQLITE) {
      Files.copy(Path.of(db), file);
      copy = file.toString();
    } else {
      copy = EmbeddedPg.copyOf(db);
    }
    Db.update(copy, sql, params);
    return copy;
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
