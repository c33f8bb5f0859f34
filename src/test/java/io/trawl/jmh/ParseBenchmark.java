package io.trawl.jmh;

import io.trawl.bench.GeneratedSite;
import io.trawl.core.Scope;
import io.trawl.core.UrlNormalizer;
import io.trawl.parse.HtmlParser;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The parse stage's hot paths on the bench's own page (20 KB, 50 links): the whole HtmlParser
 * (decode, Jsoup, links, hash), a page's links through the link path (resolve, normalize, scope),
 * and the link resolution alone. See BENCHMARKS.md.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParseBenchmark {
  private static final String URL = "http://127.0.0.1:8080/page/17";
  private final HtmlParser parser = new HtmlParser();
  private final Scope scope = new Scope(List.of("127.0.0.1"), List.of(), List.of());
  private byte[] page;
  private List<String> hrefs;

  @Setup
  public void render() {
    Vertx vertx = Vertx.vertx();
    page = new GeneratedSite(vertx, 20_000, 20 * 1024, 50, 0).render(17);
    vertx.close();
    hrefs = new ArrayList<>();
    for (Element a : Jsoup.parse(new String(page, StandardCharsets.UTF_8), URL).select("a[href]")) {
      hrefs.add(a.attr("href"));
    }
  }

  /** The page's 54 hrefs as written, resolved against its URL and checked against the scope: the link path. */
  @Benchmark
  public int pageLinks() {
    UrlNormalizer.Resolver resolver = UrlNormalizer.resolver(URL);
    int inScope = 0;
    for (String href : hrefs) {
      String link = resolver.resolve(href).orElse(null);
      if (link != null && scope.allows(link)) {
        inScope++;
      }
    }
    return inScope;
  }

  @Benchmark
  public HtmlParser.ParsedPage parsePage() {
    return parser.parse(URL, page, "text/html; charset=utf-8");
  }

  @Benchmark
  public Object resolveRelativeLink() {
    return UrlNormalizer.resolve(URL, "../page/12345?b=2&a=1#top");
  }

  @Benchmark
  public Object normalizeAbsoluteUrl() {
    return UrlNormalizer.normalize("HTTP://Example.COM:80/a/./b/../c/index.html?");
  }
}
