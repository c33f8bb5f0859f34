package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.bench.GeneratedSite;
import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fetch.concurrency} and {@code fetch.per_host_concurrency}, counted at the servers: a host
 * never has more requests in flight than its share, and a host that does not answer holds only
 * that share, never the other hosts' requests.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConcurrencyIT {
  @TempDir Path dir;
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
  }

  @AfterEach
  void stopVertx() {
    Await.result(vertx.close());
  }

  /** @param fetch keys of {@code fetch:}; {@code per_host_rate} is 100000/s unless they say otherwise */
  private Path config(String fetch, String... seeds) throws Exception {
    Files.writeString(dir.resolve("seeds.txt"), String.join("\n", seeds) + "\n");
    Path config = dir.resolve("config.yaml");
    String keys = fetch.contains("per_host_rate:") ? fetch : "per_host_rate: 100000/s\n" + fetch;
    Files.writeString(config, """
        crawl:
          seeds: %s
          db: %s
        fetch:
        %s
        retry:
          max_attempts: 1
        """.formatted(dir.resolve("seeds.txt"), dir.resolve("trawl.db"), keys.indent(2)));
    return config;
  }

  @Test
  void aHostNeverHasMoreThanPerHostConcurrencyRequestsInFlight() throws Exception {
    // Each response takes 100 ms, so requests overlap whenever the crawler lets them.
    GeneratedSite site = Await.result(new GeneratedSite(vertx, 40, 500, 3, 100).start());

    Path config = config("concurrency: 16\nper_host_concurrency: 3", site.url(0));

    assertThat(Main.run("crawl", "-c", config.toString())).isEqualTo(Main.OK);
    assertThat(Db.count(dir.resolve("trawl.db"), "SELECT count(*) FROM pages WHERE error IS NULL")).isEqualTo(40);
    assertThat(site.maxInFlight()).as("most requests in flight at the server at once").isEqualTo(3);
  }

  @Test
  void aHostThatDoesNotAnswerHoldsOnlyItsOwnShare() throws Exception {
    List<String> fastPaths = IntStream.range(0, 30).mapToObj(i -> "/f" + i).toList();
    List<String> slowPaths = IntStream.range(0, 10).mapToObj(i -> "/s" + i).toList();
    ScriptedSite slow = new ScriptedSite(vertx).start();
    ScriptedSite fast = new ScriptedSite(vertx).start();
    SlowHost gate = new SlowHost();
    // The slow host answers nothing until the fast one has served all its pages (or 60 s have
    // passed, so a crawl whose slow host held every slot still ends, and fails below).
    slow.page("/", links(slowPaths));
    slowPaths.forEach(p -> slow.route(p, gate::hold));
    fast.page("/", links(fastPaths));
    fastPaths.forEach(p -> fast.route(p, req -> {
      answer(req);
      if (fast.hits().stream().filter(h -> h.path().startsWith("/f")).count() == fastPaths.size()) {
        gate.release(fastPaths.size());
      }
    }));
    long safety = vertx.setTimer(60_000, id -> gate.release(-1));

    Path config = config("concurrency: 4\nper_host_concurrency: 2\nrequest_timeout: 5m", slow.url("/"), fast.url("/"));

    try {
      assertThat(Main.run("crawl", "-c", config.toString())).isEqualTo(Main.OK);
    } finally {
      vertx.cancelTimer(safety);
    }
    assertThat(gate.fastServedWhenReleased).as("fast pages served while the slow host held its requests").isEqualTo(30);
    assertThat(gate.heldWhenReleased).as("requests the slow host was holding").isEqualTo(2);
    assertThat(Db.count(dir.resolve("trawl.db"), "SELECT count(*) FROM pages WHERE error IS NULL")).isEqualTo(42);
  }

  @Test
  void aHostAskedOneRequestAtATimeKeepsOneConnectionWhateverTheFetchers() throws Exception {
    // Three hosts (ports), ten pages each, one request out at a time to each, over the crawl's
    // fetchers (four on two cores): each host is one connection, kept alive. (A host with two out
    // at once, as a busy machine may have at per_host_concurrency 2, spreads them over two.)
    int hosts = 3;
    List<AtomicInteger> connections = new ArrayList<>();
    List<String> seeds = new ArrayList<>();
    List<String> paths = IntStream.range(0, 10).mapToObj(i -> "/p" + i).toList();
    for (int h = 0; h < hosts; h++) {
      AtomicInteger opened = new AtomicInteger();
      HttpServer server = Await.result(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
          .connectionHandler(connection -> opened.incrementAndGet())
          .requestHandler(req -> req.response().putHeader("content-type", "text/html")
              .end(req.path().equals("/") ? links(paths) : "<title>" + req.path() + "</title>"))
          .listen());
      connections.add(opened);
      seeds.add("http://127.0.0.1:" + server.actualPort() + "/");
    }

    Path config = config("per_host_rate: 20/s\nper_host_concurrency: 1\nrespect_robots: false", seeds.toArray(String[]::new));

    assertThat(Main.run("crawl", "-c", config.toString())).isEqualTo(Main.OK);
    assertThat(Db.count(dir.resolve("trawl.db"), "SELECT count(*) FROM pages WHERE error IS NULL")).isEqualTo(33);
    assertThat(connections).as("connections each host accepted").allSatisfy(c -> assertThat(c).hasValue(1));
  }

  /** Holds the slow host's requests until released, then answers them and every later one at once. */
  private static final class SlowHost {
    private final List<HttpServerRequest> held = new ArrayList<>();
    private boolean released;
    int fastServedWhenReleased = -1;
    int heldWhenReleased = -1;

    synchronized void hold(HttpServerRequest req) {
      if (released) {
        answer(req);
      } else {
        held.add(req);
      }
    }

    /** @param fastServed the fast host's pages served so far, -1 when the safety timer ran out */
    synchronized void release(int fastServed) {
      if (released) {
        return;
      }
      released = true;
      fastServedWhenReleased = fastServed;
      heldWhenReleased = held.size();
      held.forEach(ConcurrencyIT::answer);
      held.clear();
    }
  }

  private static void answer(HttpServerRequest req) {
    req.response().putHeader("content-type", "text/html").end("<title>" + req.path() + "</title>");
  }

  private static String links(List<String> paths) {
    StringBuilder html = new StringBuilder("<title>index</title>");
    paths.forEach(p -> html.append("<a href=\"").append(p).append("\">").append(p).append("</a>"));
    return html.toString();
  }
}
