package io.trawl.render;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A browser tab set up for crawling: every request it makes paused for a verdict ({@code
 * Fetch.enable}: blocked types and anything out of scope refused, the page's own document
 * paused again at its response), network events on (for {@code network_idle} and the body caps),
 * the crawl's User-Agent. Renders one page at a time ({@link PageRender}); between pages it
 * refuses every request, so a page left behind cannot fetch on. Event loop of its browser.
 */
final class RenderTab {
  /**
   * Pages between two garbage collections the tab asks for: left to itself, a renderer that is
   * never short of memory collects rarely, and kept every document it had shown (300 documents,
   * 500 MB after 150 pages of 20 KB in {@code bench --render}); collected every 25 pages it stays
   * near its first size.
   */
  static final int COLLECT_EVERY = 25;

  private static final JsonObject INTERCEPT = new JsonObject().put("patterns", new JsonArray()
      .add(new JsonObject().put("urlPattern", "*").put("requestStage", "Request"))
      .add(new JsonObject().put("urlPattern", "*").put("resourceType", "Document").put("requestStage", "Response")));

  private final Vertx vertx;
  private final BrowserPage page;
  private final String mainFrameId;
  private PageRender current;
  private boolean broken;
  private int rendered;

  private RenderTab(Vertx vertx, BrowserPage page, String mainFrameId) {
    this.vertx = vertx;
    this.page = page;
    this.mainFrameId = mainFrameId;
    page.session().onEveryEvent(this::onEvent);
    page.session().ended().onComplete(ar -> {
      broken = true;
      if (current != null) {
        current.lost(ar.result());
      }
    });
  }

  /** A new tab of {@code browser}, set up for {@code options}. */
  static Future<RenderTab> open(Vertx vertx, Browser browser, RenderOptions options) {
    return browser.newPage().compose(page -> setUp(page, options)
        .map(frameId -> {
          page.frames(false);
          return new RenderTab(vertx, page, frameId);
        })
        .recover(err -> page.close().transform(ar -> Future.failedFuture(err))));
  }

  private static Future<String> setUp(BrowserPage page, RenderOptions options) {
    CdpSession session = page.session();
    return session.send("Page.enable")
        .compose(v -> session.send("Inspector.enable"))
        // Bodies are read by us through the DOM, never through the Network domain: keep no copies.
        .compose(v -> session.send("Network.enable", new JsonObject()
            .put("maxTotalBufferSize", 0).put("maxResourceBufferSize", 0)))
        .compose(v -> session.send("Network.setUserAgentOverride", new JsonObject().put("userAgent", options.userAgent())))
        .compose(v -> session.send("Fetch.enable", INTERCEPT))
        .compose(v -> session.send("Page.getFrameTree"))
        .map(tree -> tree.getJsonObject("frameTree").getJsonObject("frame").getString("id"));
  }

  /** Renders {@code url}; the tab is {@link #isBroken()} afterwards if the page may have left it unusable. */
  Future<Rendered> render(String url, RenderOptions options) {
    PageRender render = new PageRender(vertx, this, url, options);
    current = render;
    rendered++;
    page.frames(true);
    return render.start()
        .onComplete(ar -> {
          current = null;
          page.frames(false);
          if (render.leftTabUnusable()) {
            broken = true;
          }
        })
        .compose(page -> broken || rendered % COLLECT_EVERY != 0 ? Future.succeededFuture(page)
            : session().send("HeapProfiler.collectGarbage").transform(ar -> Future.succeededFuture(page)));
  }

  private void onEvent(String method, JsonObject params) {
    if (current != null) {
      current.onEvent(method, params);
    } else if (method.equals("Fetch.requestPaused")) {
      session().send("Fetch.failRequest", new JsonObject()
          .put("requestId", params.getString("requestId")).put("errorReason", "BlockedByClient"));
    } else if (method.equals("Inspector.targetCrashed")) {
      broken = true;
    }
  }

  CdpSession session() {
    return page.session();
  }

  BrowserPage page() {
    return page;
  }

  String mainFrameId() {
    return mainFrameId;
  }

  /** Pages this tab has been given. */
  int rendered() {
    return rendered;
  }

  /**
   * Whether the tab must be closed rather than used again: its renderer crashed, its session
   * ended, or a page timed out (its script may still be running, and holding the renderer).
   */
  boolean isBroken() {
    return broken;
  }

  void markBroken() {
    broken = true;
  }

  Future<Void> close() {
    broken = true;
    return page.close();
  }
}
