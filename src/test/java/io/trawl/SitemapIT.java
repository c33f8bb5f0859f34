package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code crawl.sitemaps}: a seed host's sitemaps add their in-scope URLs to the crawl at depth 1. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SitemapIT {
  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;

  @BeforeEach
  void startSite() {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = new ScriptedSite(vertx).page("/", "<title>home</title>");
    for (int i = 1; i <= 10; i++) {
      site.page("/p/" + i, "<title>p" + i + "</title>");
    }
    site.start();
  }

  @AfterEach
  void stopSite() {
    Await.result(vertx.close());
  }

  private Path db() {
    return dir.resolve("trawl.db");
  }

  private int crawl(String crawlKeys, String... flags) throws Exception {
    Files.writeString(dir.resolve("seeds.txt"), site.url("/") + "\n");
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, """
        crawl:
          seeds: %s
          db: %s
          max_depth: 1
        %s
        fetch:
          per_host_concurrency: 4
          per_host_rate: 1000/s
        """.formatted(dir.resolve("seeds.txt"), db(), crawlKeys.indent(2)));
    List<String> args = new ArrayList<>(List.of("crawl", "-c", config.toString()));
    args.addAll(List.of(flags));
    return Main.run(args.toArray(String[]::new));
  }

  private String index(String... paths) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (String path : paths) {
      xml.append("  <sitemap><loc>").append(site.url(path)).append("</loc></sitemap>\n");
    }
    return xml.append("</sitemapindex>\n").toString();
  }

  private long sitemapRequests() {
    return site.hits().stream().filter(hit -> hit.path().startsWith("/maps/")).count();
  }

  private String urlset(String... paths) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (String path : paths) {
      xml.append("  <url><loc>").append(path.startsWith("http") ? path : site.url(path)).append("</loc></url>\n");
    }
    return xml.append("</urlset>\n").toString();
  }

  @Test
  void followsTheRobotsSitemapIndexToAPlainAndAGzippedSitemapDroppingOutOfScopeUrls() throws Exception {
    Buffer gzipped = Buffer.buffer(gzip(urlset("/p/3", "/p/4", "/p/1")));
    site.text("/robots.txt", "text/plain", "User-agent: *\nAllow: /\nSitemap: " + site.url("/maps/index.xml") + "\n")
        .text("/maps/index.xml", "application/xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <sitemap><loc>%s</loc></sitemap>
              <sitemap><loc>%s</loc></sitemap>
            </sitemapindex>
            """.formatted(site.url("/maps/pages.xml"), site.url("/maps/more.xml.gz")))
        .text("/maps/pages.xml", "text/xml; charset=utf-8", urlset("/p/1", "/p/2", "http://elsewhere.invalid/p/9"))
        .route("/maps/more.xml.gz", req -> req.response().putHeader("content-type", "application/gzip").end(gzipped));

    assertThat(crawl("sitemaps: true")).isEqualTo(Main.OK);

    assertThat(Db.rows(db(), "SELECT url, depth, title FROM pages WHERE url LIKE '%/p/%' ORDER BY url"))
        .containsExactly(IntStream.rangeClosed(1, 4)
            .mapToObj(i -> Map.<String, Object>of("url", site.url("/p/" + i), "depth", 1, "title", "p" + i))
            .toArray(Map[]::new));
    assertThat(Db.count(db(), "SELECT count(*) FROM frontier WHERE url LIKE '%elsewhere.invalid%'")).isZero();
    assertThat(Db.count(db(), "SELECT count(*) FROM pages WHERE error IS NOT NULL")).isZero();
    assertThat(site.count("/sitemap.xml")).as("robots.txt named the sitemaps").isZero();
    assertThat(site.count("/maps/more.xml.gz")).isEqualTo(1);
    assertThat(site.count("/robots.txt")).isEqualTo(1);
  }

  @Test
  void fallsBackToSitemapXmlAndTakesAtMostMaxSitemapUrls() throws Exception {
    site.text("/sitemap.xml", "application/xml", urlset(IntStream.rangeClosed(1, 10).mapToObj(i -> "/p/" + i)
        .toArray(String[]::new)));

    assertThat(crawl("sitemaps: true\nmax_sitemap_urls: 3")).isEqualTo(Main.OK);

    assertThat(Db.rows(db(), "SELECT url FROM pages ORDER BY url")).extracting(r -> r.get("url"))
        .containsExactly(site.url("/"), site.url("/p/1"), site.url("/p/2"), site.url("/p/3"));
    assertThat(site.count("/sitemap.xml")).isEqualTo(1);
  }

  @Test
  void readsNoSitemapWhenOff() throws Exception {
    site.text("/robots.txt", "text/plain", "User-agent: *\nSitemap: " + site.url("/sitemap.xml") + "\n")
        .text("/sitemap.xml", "application/xml", urlset("/p/1", "/p/2"));

    assertThat(crawl("")).isEqualTo(Main.OK);

    assertThat(Db.rows(db(), "SELECT url FROM pages")).extracting(r -> r.get("url")).containsExactly(site.url("/"));
    assertThat(site.count("/sitemap.xml")).isZero();
  }

  @Test
  void followsAnIndexOfAnIndexButNoFurther() throws Exception {
    site.text("/robots.txt", "text/plain", "User-agent: *\nSitemap: " + site.url("/maps/top.xml") + "\n")
        .text("/maps/top.xml", "application/xml", index("/maps/middle.xml"))
        .text("/maps/middle.xml", "application/xml", index("/maps/pages.xml", "/maps/third.xml"))
        .text("/maps/pages.xml", "application/xml", urlset("/p/1", "/p/2"))
        .text("/maps/third.xml", "application/xml", index("/maps/too-deep.xml"))
        .text("/maps/too-deep.xml", "application/xml", urlset("/p/9"));

    assertThat(crawl("sitemaps: true")).isEqualTo(Main.OK);

    assertThat(Db.rows(db(), "SELECT url, depth FROM pages WHERE url LIKE '%/p/%' ORDER BY url")).containsExactly(
        Map.of("url", site.url("/p/1"), "depth", 1), Map.of("url", site.url("/p/2"), "depth", 1));
    assertThat(site.count("/maps/pages.xml")).as("an index's index's sitemap is read").isEqualTo(1);
    assertThat(site.count("/maps/third.xml")).isEqualTo(1);
    assertThat(site.count("/maps/too-deep.xml")).as("a third level of index is not followed").isZero();
    assertThat(Db.count(db(), "SELECT count(*) FROM frontier WHERE url LIKE '%/p/9'")).isZero();
  }

  @Test
  void readsAtMostFiftySitemapFilesOfAHost() throws Exception {
    String[] children = IntStream.rangeClosed(1, 60).mapToObj(i -> "/maps/part-" + i + ".xml").toArray(String[]::new);
    site.text("/robots.txt", "text/plain", "User-agent: *\nSitemap: " + site.url("/maps/index.xml") + "\n")
        .text("/maps/index.xml", "application/xml", index(children));
    for (int i = 1; i <= 60; i++) {
      site.text("/maps/part-" + i + ".xml", "application/xml", urlset("/p/" + i));
      site.page("/p/" + i, "<title>p" + i + "</title>");
    }

    assertThat(crawl("sitemaps: true")).isEqualTo(Main.OK);

    // The index is one of the 50 files, so 49 of its 60 sitemaps are read, in the order it lists them.
    assertThat(sitemapRequests()).isEqualTo(50);
    assertThat(site.count("/maps/part-49.xml")).isEqualTo(1);
    assertThat(site.count("/maps/part-50.xml")).isZero();
    assertThat(Db.count(db(), "SELECT count(*) FROM pages WHERE url LIKE '%/p/%' AND error IS NULL")).isEqualTo(49);
  }

  @Test
  void readsNoSitemapAtMaxDepthZero() throws Exception {
    site.text("/robots.txt", "text/plain", "User-agent: *\nSitemap: " + site.url("/maps/pages.xml") + "\n")
        .text("/maps/pages.xml", "application/xml", urlset("/p/1", "/p/2"))
        .text("/sitemap.xml", "application/xml", urlset("/p/3"));

    assertThat(crawl("sitemaps: true", "--max-depth", "0")).isEqualTo(Main.OK);

    assertThat(Db.rows(db(), "SELECT url FROM frontier")).extracting(r -> r.get("url")).containsExactly(site.url("/"));
    assertThat(sitemapRequests() + site.count("/sitemap.xml")).isZero();
  }

  @Test
  void resumeReadsTheSitemapsAgainAndAddsOnlyTheNewUrls() throws Exception {
    site.text("/sitemap.xml", "application/xml", urlset("/p/1", "/p/2"));
    assertThat(crawl("sitemaps: true")).isEqualTo(Main.OK);
    assertThat(Db.count(db(), "SELECT count(*) FROM pages")).isEqualTo(3);

    site.text("/sitemap.xml", "application/xml", urlset("/p/1", "/p/2", "/p/3", "/p/4"));
    assertThat(crawl("sitemaps: true", "--resume")).isEqualTo(Main.OK);

    assertThat(site.count("/sitemap.xml")).as("read again").isEqualTo(2);
    assertThat(Db.rows(db(), "SELECT url FROM pages ORDER BY url")).extracting(r -> r.get("url")).containsExactly(
        site.url("/"), site.url("/p/1"), site.url("/p/2"), site.url("/p/3"), site.url("/p/4"));
    for (int i = 1; i <= 4; i++) {
      assertThat(site.count("/p/" + i)).as("requests of /p/%d", i).isEqualTo(1);
    }
    assertThat(Db.count(db(), "SELECT count(*) FROM frontier")).isEqualTo(5);
  }

  private static byte[] gzip(String text) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
