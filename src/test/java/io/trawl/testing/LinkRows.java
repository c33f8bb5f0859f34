package io.trawl.testing;

import io.trawl.bus.FetchRequest;
import io.trawl.bus.FetchedPage;
import io.trawl.bus.PageRecord;
import io.vertx.core.json.JsonArray;
import java.util.List;

/** The links of a schema-version-7 database and of a page written after migration 9, for the migration tests of both backends. */
public final class LinkRows {
  /** A version-7 file's links: page a links to b, x (off-site), b again and itself; b links to a. */
  public static final List<String> V7_LINKS = List.of(
      "INSERT INTO links (from_url, to_url) VALUES ('http://127.0.0.1/a', 'http://127.0.0.1/b')",
      "INSERT INTO links (from_url, to_url) VALUES ('http://127.0.0.1/b', 'http://127.0.0.1/a')",
      "INSERT INTO links (from_url, to_url) VALUES ('http://127.0.0.1/a', 'http://x.invalid/')",
      "INSERT INTO links (from_url, to_url) VALUES ('http://127.0.0.1/a', 'http://127.0.0.1/b')",
      "INSERT INTO links (from_url, to_url) VALUES ('http://127.0.0.1/a', 'http://127.0.0.1/a')");

  /** A page written after the migration: c links to b (known) and d (new). */
  public static final PageRecord LINKING_C = PageRecord.parsed(
      FetchedPage.plain(new FetchRequest(1, "http://127.0.0.1/c", 0, 0), "http://127.0.0.1/c", 200, "text/html",
          new byte[0], 1_000, 3, 1),
      "c", "cc", List.of("http://127.0.0.1/b", "http://127.0.0.1/d"), List.of(), new JsonArray());

  /** The links of V7_LINKS and LINKING_C, as "from to". */
  public static final List<String> MIGRATED_LINKS = List.of(
      "http://127.0.0.1/a http://127.0.0.1/b", "http://127.0.0.1/b http://127.0.0.1/a",
      "http://127.0.0.1/a http://x.invalid/", "http://127.0.0.1/a http://127.0.0.1/b", "http://127.0.0.1/a http://127.0.0.1/a",
      "http://127.0.0.1/c http://127.0.0.1/b", "http://127.0.0.1/c http://127.0.0.1/d");

  /** The same, by page (in the order their URLs were first seen) and each page's in document order. */
  public static final List<String> LINKS_IN_ORDER = List.of(
      "http://127.0.0.1/a 0 http://127.0.0.1/b", "http://127.0.0.1/a 1 http://x.invalid/",
      "http://127.0.0.1/a 2 http://127.0.0.1/b", "http://127.0.0.1/a 3 http://127.0.0.1/a",
      "http://127.0.0.1/b 0 http://127.0.0.1/a",
      "http://127.0.0.1/c 0 http://127.0.0.1/b", "http://127.0.0.1/c 1 http://127.0.0.1/d");

  private LinkRows() {}
}
