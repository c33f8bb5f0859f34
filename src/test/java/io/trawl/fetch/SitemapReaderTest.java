package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.core.Scope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SitemapReaderTest {
  private static final Scope SCOPE = new Scope(List.of("example.com"), List.of(), List.of());

  private static byte[] urlset(String... urls) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">");
    for (String url : urls) {
      xml.append("<url><loc>").append(url).append("</loc></url>");
    }
    return xml.append("</urlset>").toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void keepsInScopeUrlsNormalizedAndOnce() throws Exception {
    SitemapReader reader = new SitemapReader(SCOPE, 100, 2083);

    SitemapReader.Contents contents = reader.read("https://example.com/sitemap.xml", "application/xml",
        urlset("https://EXAMPLE.com/a#top", "https://other.org/b", "https://example.com/a", "https://www.example.com/c"));

    assertThat(contents.sitemaps()).isEmpty();
    assertThat(contents.urls()).containsExactly("https://example.com/a", "https://www.example.com/c");
  }

  @Test
  void readsAtMostMaxUrlsEntries() throws Exception {
    SitemapReader reader = new SitemapReader(SCOPE, 2, 2083);

    SitemapReader.Contents contents = reader.read("https://example.com/sitemap.xml", null,
        urlset("https://example.com/1", "https://example.com/2", "https://example.com/3"));

    assertThat(contents.urls()).containsExactly("https://example.com/1", "https://example.com/2");
  }

  @Test
  void readsEachUrlsLastmodAndChangefreq() throws Exception {
    byte[] xml = """
        <?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <url><loc>https://example.com/a</loc><lastmod>2026-11-30T08:00:00+00:00</lastmod><changefreq>weekly</changefreq></url>
        <url><loc>https://example.com/b</loc><changefreq>never</changefreq></url>
        <url><loc>https://example.com/c</loc></url>
        </urlset>""".getBytes(StandardCharsets.UTF_8);

    SitemapReader.Contents contents = new SitemapReader(SCOPE, 100, 2083).read("https://example.com/sitemap.xml",
        "application/xml", xml);

    assertThat(contents.urls()).containsExactly("https://example.com/a", "https://example.com/b", "https://example.com/c");
    assertThat(contents.lastModifiedMs()).containsExactly(Instant.parse("2026-11-30T08:00:00Z").toEpochMilli(), 0L, 0L);
    assertThat(contents.changeIntervalMs()).containsExactly(Duration.ofDays(7).toMillis(), Long.MAX_VALUE, -1L);
  }

  @Test
  void listsTheChildrenOfAnIndex() throws Exception {
    byte[] index = """
        <?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <sitemap><loc>https://example.com/s1.xml</loc></sitemap><sitemap><loc>https://example.com/s2.xml.gz</loc></sitemap>
        </sitemapindex>""".getBytes(StandardCharsets.UTF_8);

    SitemapReader.Contents contents = new SitemapReader(SCOPE, 100, 2083).read("https://example.com/index.xml", "text/xml", index);

    assertThat(contents.sitemaps()).containsExactly("https://example.com/s1.xml", "https://example.com/s2.xml.gz");
    assertThat(contents.urls()).isEmpty();
  }

  @Test
  void dropsEntriesWithUserInfoOrLongerThanTheUrlCap() throws Exception {
    SitemapReader reader = new SitemapReader(SCOPE, 100, 40);
    String longest = "https://example.com/" + "a".repeat(20);
    String tooLong = longest + "b";

    SitemapReader.Contents contents = reader.read("https://example.com/sitemap.xml", "application/xml",
        urlset("https://example.com@169.254.169.254/", "https://user:pw@example.com/private", longest, tooLong));

    assertThat(longest).hasSize(40);
    assertThat(contents.urls()).containsExactly(longest);
  }
}
