package io.trawl.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each named factory puts in a page's row: the fields come from the request and the response, not by position. */
class PageRecordTest {
  private static final FetchRequest REQUEST = new FetchRequest(7, "http://127.0.0.1/a", 2, 1);
  private static final FetchedPage RESPONSE = FetchedPage.plain(REQUEST, "http://127.0.0.1/final", 200,
      "text/html", new byte[1234], 1_700_000_000_000L, 15, 2);

  @Test
  void aParsedPageKeepsItsRequestResponseAndWhatTheParserFound() {
    JsonArray items = new JsonArray().add(new JsonObject().put("rule", "r"));
    PageRecord page = PageRecord.parsed(RESPONSE, "Title", "cafe", List.of("http://127.0.0.1/x", "http://127.0.0.1/y"),
        List.of("http://127.0.0.1/x"), items);

    assertThat(page).usingRecursiveComparison().isEqualTo(new PageRecord(7, "http://127.0.0.1/a",
        "http://127.0.0.1/final", 200, "text/html", 2, "Title", 1_700_000_000_000L, 15, 1234, "cafe", 2, null,
        List.of("http://127.0.0.1/x", "http://127.0.0.1/y"), List.of("http://127.0.0.1/x"), items, null, null, null, null));
  }

  @Test
  void anUnparsedResponseKeepsItsSizeAndErrorWithoutLinksOrItems() {
    PageRecord page = PageRecord.unparsed(RESPONSE, "parse");

    assertThat(page.error()).isEqualTo("parse");
    assertThat(page.bytes()).isEqualTo(1234);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.attempts()).isEqualTo(2);
    assertThat(page.title()).isNull();
    assertThat(page.contentHash()).isNull();
    assertThat(page.links()).isEmpty();
    assertThat(page.discovered()).isEmpty();
    assertThat(page.items()).isEmpty();
    assertThat(page.download()).isNull();
  }

  @Test
  void aDownloadTakesItsSizeAndHashFromTheFile() {
    DownloadedFile file = new DownloadedFile("d/beef.pdf", 3_000_000_000L, "beef");
    PageRecord page = PageRecord.downloaded(RESPONSE, file);

    assertThat(page.bytes()).isEqualTo(3_000_000_000L);
    assertThat(page.contentHash()).isEqualTo("beef");
    assertThat(page.download()).isSameAs(file);
    assertThat(page.error()).isNull();
    assertThat(page.finalUrl()).isEqualTo("http://127.0.0.1/final");
  }

  @Test
  void aFailureHasNoResponse() {
    PageRecord page = PageRecord.failure(REQUEST, "timeout", 3, 1_700_000_000_000L, 40);

    assertThat(page.frontierId()).isEqualTo(7);
    assertThat(page.depth()).isEqualTo(2);
    assertThat(page.status()).isZero();
    assertThat(page.finalUrl()).isNull();
    assertThat(page.error()).isEqualTo("timeout");
    assertThat(page.attempts()).isEqualTo(3);
    assertThat(page.elapsedMs()).isEqualTo(40);
  }
}
