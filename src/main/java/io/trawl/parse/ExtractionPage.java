package io.trawl.parse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jsoup.nodes.Document;

/**
 * One page as the extraction rules see it: the document, what its relative URLs resolve against,
 * and its structured data (JSON-LD, microdata, Open Graph), each read on first use and then shared
 * by every rule and field of the page. One per page, confined to the parse thread that extracts it.
 */
final class ExtractionPage {
  private final Document document;
  private final String baseUrl;
  private JsonLd jsonLd;
  private JsonArray microdata;
  private JsonObject openGraph;

  ExtractionPage(Document document, String baseUrl) {
    this.document = document;
    this.baseUrl = baseUrl;
  }

  Document document() {
    return document;
  }

  String baseUrl() {
    return baseUrl;
  }

  /** The page's JSON-LD, parsed once. */
  JsonLd jsonLd() {
    if (jsonLd == null) {
      jsonLd = JsonLd.of(document);
    }
    return jsonLd;
  }

  /** The page's microdata items, read once. */
  JsonArray microdata() {
    if (microdata == null) {
      microdata = Microdata.items(document);
    }
    return microdata;
  }

  /** The page's Open Graph properties, read once. */
  JsonObject openGraph() {
    if (openGraph == null) {
      openGraph = OpenGraph.properties(document);
    }
    return openGraph;
  }

  /** Blocks of JSON-LD skipped as invalid, 0 when no rule asked for JSON-LD. */
  int invalidJsonLd() {
    return jsonLd == null ? 0 : jsonLd.invalid();
  }
}
