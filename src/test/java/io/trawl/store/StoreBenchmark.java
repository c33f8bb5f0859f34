package io.trawl.store;

import io.trawl.bus.FetchRequest;
import io.trawl.bus.FetchedPage;
import io.trawl.testing.PageVersions;
import io.trawl.bus.FrontierUpdate;
import io.trawl.bus.PageRecord;
import io.trawl.store.sqlite.SqliteBackend;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The store's hot paths: one batch transaction of 64 pages with 50 links each (as the bench's
 * pages have), 10 of them new URLs, into a real SQLite file; and the seen-URL fingerprint set.
 * Reported per batch and per URL. See BENCHMARKS.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StoreBenchmark {
  private static final int PAGES_PER_BATCH = 64;
  private static final int LINKS_PER_PAGE = 50;
  private static final int SITE_PAGES = 20_000;
  private static final byte[] BODY = new byte[20_480];
  private Path dir;
  private StoreWriter writer;
  private SeenUrls seen;
  private long next;
  private String[] urls;

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("trawl-jmh");
    writer = new SqliteBackend(dir.resolve("bench.db")).openWriter(false);
    seen = new SeenUrls(SeenUrls.DEFAULT_SLOTS);
    urls = new String[1 << 20];
    for (int i = 0; i < urls.length; i++) {
      urls[i] = "http://127.0.0.1:8080/page/" + i;
    }
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    writer.close();
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  @Benchmark
  public List<Integer> writeBatchOf64Pages() {
    List<PageRecord> pages = new ArrayList<>(PAGES_PER_BATCH);
    List<List<String>> discovered = new ArrayList<>(PAGES_PER_BATCH);
    for (int p = 0; p < PAGES_PER_BATCH; p++) {
      long n = next++;
      List<String> links = new ArrayList<>(LINKS_PER_PAGE);
      for (int l = 0; l < LINKS_PER_PAGE; l++) {
        links.add("http://127.0.0.1:8080/page/" + (n * 7919 + l * 104_729) % 10_000_000);
      }
      FetchedPage page = FetchedPage.plain(new FetchRequest(n, "http://127.0.0.1:8080/page/" + n, 1, 0), null, 200,
          "text/html", BODY, System.currentTimeMillis(), 3, 1);
      pages.add(PageRecord.parsed(page, "Page " + n, "ab".repeat(32), links, links.subList(0, 10), new JsonArray()));
      discovered.add(links.subList(0, 10));
    }
    return writer.write(List.<FrontierUpdate>of(), pages, PageVersions.of(pages), discovered, 0);
  }

  /**
   * The same batch on the bench's site of 20,000 pages ({@code GeneratedSite.linksOf}): after the
   * first few batches nearly every link names a URL already stored, as in {@code ./trawl bench --cold}.
   */
  @Benchmark
  public List<Integer> writeBatchOf64SitePages() {
    List<PageRecord> pages = new ArrayList<>(PAGES_PER_BATCH);
    List<List<String>> discovered = new ArrayList<>(PAGES_PER_BATCH);
    for (int p = 0; p < PAGES_PER_BATCH; p++) {
      long n = next++ % SITE_PAGES;
      List<String> links = new ArrayList<>(LINKS_PER_PAGE);
      links.add(sitePage((n + 1) % SITE_PAGES));
      links.add(sitePage((2 * n + 1) % SITE_PAGES));
      links.add(sitePage((2 * n + 2) % SITE_PAGES));
      for (int l = 3; l < LINKS_PER_PAGE; l++) {
        links.add(sitePage((n * 7919 + l * 104_729L) % SITE_PAGES));
      }
      FetchedPage page = FetchedPage.plain(new FetchRequest(n, sitePage(n), 1, 0), null, 200, "text/html", BODY,
          System.currentTimeMillis(), 3, 1);
      pages.add(PageRecord.parsed(page, "Page " + n, "ab".repeat(32), links, List.of(), new JsonArray()));
      discovered.add(List.of());
    }
    return writer.write(List.<FrontierUpdate>of(), pages, PageVersions.of(pages), discovered, 0);
  }

  private static String sitePage(long n) {
    return "http://127.0.0.1:8080/site/" + n;
  }

  @Benchmark
  public boolean seenUrlCheck() {
    return seen.addIfAbsent(urls[(int) (next++ & (urls.length - 1))]);
  }
}
