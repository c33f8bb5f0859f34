package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.core.Scope;
import java.nio.charset.StandardCharsets;
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
