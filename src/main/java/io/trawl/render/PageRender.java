package io.trawl.render;

import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One page loaded in a {@link RenderTab}: navigates, rules on each request the page makes (blocked
 * types and out-of-scope URLs refused, the document's redirects checked as a plain fetch checks
 * them, every response held to the body cap), waits for the load event and then {@code
 * render.wait_for}, and reads the DOM, all within {@code render.timeout}. The first outcome wins:
 * the DOM, a status or a non-HTML document seen at the document's response, or a failure. Event
 * loop of the tab's browser.
 */
final class PageRender {
  private static final Logger log = LoggerFactory.getLogger(PageRender.class);

  /**
   * The DOM, or null when it is longer (in UTF-16 units) than the cap: then nothing big crosses
   * the socket. With the document's status and type as the page knows them, for a document whose
   * response was not seen (served by a service worker, say).
   */
  private static final String READ_DOM = """
      (() => {
        const root = document.documentElement;
        const html = root ? root.outerHTML : '';
        const nav = performance.getEntriesByType('navigation')[0];
        return html.length > %d ? null : {url: location.href, html: html,
          status: nav && nav.responseStatus ? nav.responseStatus : 200, type: document.contentType};
      })()""";

  /** Resolves once an element matches the selector, looking again on every change of the DOM. */
  private static final String WAIT_FOR_SELECTOR = """
      new Promise(done => {
        const selector = %s;
        if (document.querySelector(selector)) { done(true); return; }
        const seen = new MutationObserver(() => {
          if (document.querySelector(selector)) { seen.disconnect(); done(true); }
        });
        seen.observe(document, {childList: true, subtree: true, attributes: true});
      })""";

  private final Vertx vertx;
  private final RenderTab tab;
  private final CdpSession session;
  private final String url;
  private final RenderOptions options;
  private final Promise<Rendered> result = Promise.promise();
  private final long startedNanos = System.nanoTime();
  private final Set<String> inFlight = new HashSet<>();
  private final Map<String, Long> received = new HashMap<>();
  private final Set<String> documentUrls = new HashSet<>();
  private String documentUrl;
  private String documentRequestId;
  private int redirects;
  private int status;
  private String contentType;
  private String retryAfter;
  private boolean responded;
  private boolean loaded;
  private boolean reading;
  private boolean unusable;
  private long timeoutTimer = -1;
  private long idleTimer = -1;

  PageRender(Vertx vertx, RenderTab tab, String url, RenderOptions options) {
    this.vertx = vertx;
    this.tab = tab;
    this.session = tab.session();
    this.url = url;
    this.options = options;
  }

  Future<Rendered> start() {
    timeoutTimer = vertx.setTimer(options.timeoutMs(), id -> {
      timeoutTimer = -1;
      // The page's script may still hold its renderer: the tab is not used again.
      unusable = true;
      fail(new CrawlException(FailureKind.TIMEOUT, url, "not rendered within " + options.timeoutMs() + " ms"));
    });
    session.send("Page.navigate", new JsonObject().put("url", url))
        .onSuccess(this::navigated)
        .onFailure(this::commandFailed);
    return result.future();
  }

  /** The tab's session ended under the page: its renderer or the browser went away. */
  void lost(String why) {
    unusable = true;
    fail(new TabLost(url, why));
  }

  /** Whether the tab must not render another page: the page timed out, crashed or lost its session. */
  boolean leftTabUnusable() {
    return unusable;
  }

  private void navigated(JsonObject answer) {
    String error = answer.getString("errorText");
    if (error != null && !error.isEmpty()) {
      fail(new CrawlException(NavigationErrors.kind(error), url, error));
    }
  }

  void onEvent(String method, JsonObject params) {
    if (result.future().isComplete()) {
      if (method.equals("Fetch.requestPaused")) {
        refuse(params.getString("requestId"));
      }
      return;
    }
    switch (method) {
      case "Fetch.requestPaused" -> onPaused(params);
      case "Network.requestWillBeSent" -> onRequest(params);
      case "Network.responseReceived" -> onResponse(params);
      case "Network.dataReceived" -> onData(params);
      case "Network.loadingFinished", "Network.loadingFailed" -> onRequestOver(params.getString("requestId"));
      case "Page.loadEventFired" -> onLoad();
      case "Inspector.targetCrashed" -> {
        unusable = true;
        fail(new TabLost(url, "the tab's renderer crashed"));
      }
      default -> { }
    }
  }

  private void onPaused(JsonObject params) {
    String id = params.getString("requestId");
    String type = params.getString("resourceType", "Other");
    String target = params.getJsonObject("request").getString("url");
    boolean mainDocument = type.equals("Document") && tab.mainFrameId().equals(params.getString("frameId"));
    if (params.containsKey("responseStatusCode") || params.containsKey("responseErrorReason")) {
      if (mainDocument && params.containsKey("responseStatusCode")) {
        onDocumentResponse(id, params.getInteger("responseStatusCode"), Headers.of(params.getJsonArray("responseHeaders")));
      } else {
        proceed(id);
      }
      return;
    }
    if (mainDocument) {
      onDocumentRequest(id, target, params.containsKey("redirectedRequestId"));
    } else if (options.blocked().contains(blockType(type, target))) {
      refuse(id);
    } else if (isHttp(target) && !options.inScope().test(target)) {
      log.debug("render refused url={} resource={} kind=out_of_scope", url, target);
      refuse(id);
    } else {
      proceed(id);
    }
  }

  /**
   * The {@code render.block} word of a request: its CDP type lower-cased, except that the browser's
   * own fetch of the page's icon (type {@code Other}, {@code /favicon.ico} or another {@code .ico})
   * is an image.
   */
  static String blockType(String cdpType, String target) {
    String type = cdpType.toLowerCase(Locale.ROOT);
    if (type.equals("other")) {
      int query = target.indexOf('?');
      String path = query < 0 ? target : target.substring(0, query);
      if (path.endsWith(".ico")) {
        return "image";
      }
    }
    return type;
  }

  /** The page's own document: the first request, or a redirect of it (checked as a plain fetch checks one). */
  private void onDocumentRequest(String id, String target, boolean redirect) {
    if (documentUrls.isEmpty()) {
      documentUrls.add(target);
      documentUrl = target;
      proceed(id);
      return;
    }
    if (!redirect || responded) {
      // A script or a meta refresh taking the tab elsewhere: the page stays what it was.
      refuse(id);
      return;
    }
    redirects++;
    if (!isHttp(target) || !options.inScope().test(target)) {
      refuse(id);
      fail(new CrawlException(FailureKind.REDIRECT_OUT_OF_SCOPE, url, "to " + target));
    } else if (!documentUrls.add(target)) {
      refuse(id);
      fail(new CrawlException(FailureKind.REDIRECT_LOOP, url, "back to " + target));
    } else if (redirects > options.maxRedirects()) {
      refuse(id);
      fail(new CrawlException(FailureKind.TOO_MANY_REDIRECTS, url, "more than " + options.maxRedirects()));
    } else {
      documentUrl = target;
      proceed(id);
    }
  }

  /** The document's status and headers, before its body: an error status or a non-HTML type ends the page here. */
  private void onDocumentResponse(String pausedId, int code, Map<String, String> headers) {
    if (code >= 300 && code < 400 && headers.containsKey("location")) {
      proceed(pausedId);
      return;
    }
    responded = true;
    status = code;
    retryAfter = headers.get("retry-after");
    String type = headers.get("content-type");
    long announced = Headers.length(headers.get("content-length"));
    if (announced > options.maxBodyBytes()) {
      refuse(pausedId);
      fail(new CrawlException(FailureKind.TOO_LARGE, url, "Content-Length " + announced + " over the cap " + options.maxBodyBytes()));
    } else if (code >= 300) {
      refuse(pausedId);
      succeed(new Rendered(url, currentDocumentUrl(), code, type, new byte[0], Headers.isHtml(type), elapsedMs(), redirects,
          retryAfter, null));
    } else if (!Headers.isHtml(type)) {
      refuse(pausedId);
      succeed(new Rendered(url, currentDocumentUrl(), code, type, new byte[0], false, elapsedMs(), redirects,
          retryAfter, null));
    } else {
      contentType = Headers.mediaType(type) + "; charset=utf-8";
      proceed(pausedId);
    }
  }

  private void onRequest(JsonObject params) {
    String id = params.getString("requestId");
    if ("Document".equals(params.getString("type")) && tab.mainFrameId().equals(params.getString("frameId"))
        && id.equals(params.getString("loaderId")) && documentRequestId == null) {
      documentRequestId = id;
    }
    inFlight.add(id);
    cancelIdle();
  }

  private void onResponse(JsonObject params) {
    JsonObject response = params.getJsonObject("response");
    String id = params.getString("requestId");
    if (id.equals(documentRequestId) && !responded) {
      // Served without a pause at its response (from the cache): the same rules, after the fact.
      responded = true;
      status = response.getInteger("status", 0);
      Map<String, String> headers = Headers.of(response.getJsonObject("headers", new JsonObject()));
      retryAfter = headers.get("retry-after");
      String type = headers.getOrDefault("content-type", response.getString("mimeType"));
      if (status >= 300 || !Headers.isHtml(type)) {
        session.send("Page.stopLoading");
        succeed(new Rendered(url, response.getString("url", url), status, type, new byte[0], Headers.isHtml(type), elapsedMs(),
            redirects, retryAfter, null));
        return;
      }
      contentType = Headers.mediaType(type) + "; charset=utf-8";
    }
    long announced = Headers.length(Headers.of(response.getJsonObject("headers", new JsonObject())).get("content-length"));
    if (announced > options.maxBodyBytes()) {
      fail(new CrawlException(FailureKind.TOO_LARGE, url, response.getString("url") + ": Content-Length " + announced
          + " over the cap " + options.maxBodyBytes()));
    }
  }

  /** Bytes of each response as they arrive, decoded: one past the cap ends the page, whatever announced it. */
  private void onData(JsonObject params) {
    long total = received.merge(params.getString("requestId"), params.getLong("dataLength", 0L), Long::sum);
    if (total > options.maxBodyBytes()) {
      unusable = true;
      fail(new CrawlException(FailureKind.TOO_LARGE, url, "a response over the cap " + options.maxBodyBytes()));
    }
  }

  private void onRequestOver(String id) {
    inFlight.remove(id);
    received.remove(id);
    if (loaded && inFlight.isEmpty() && options.waitFor().kind() == RenderOptions.Wait.Kind.NETWORK_IDLE) {
      armIdle();
    }
  }

  private void onLoad() {
    if (loaded) {
      return;
    }
    loaded = true;
    RenderOptions.Wait wait = options.waitFor();
    switch (wait.kind()) {
      case LOAD -> read();
      case DELAY -> vertx.setTimer(wait.delayMs(), id -> read());
      case NETWORK_IDLE -> {
        if (inFlight.isEmpty()) {
          armIdle();
        }
      }
      case SELECTOR -> session.send("Runtime.evaluate", new JsonObject()
              .put("expression", WAIT_FOR_SELECTOR.formatted(Json.encode(wait.selector())))
              .put("awaitPromise", true)
              .put("returnByValue", true))
          .compose(BrowserPage::valueOf)
          .onSuccess(found -> read())
          .onFailure(this::commandFailed);
    }
  }

  private void armIdle() {
    cancelIdle();
    idleTimer = vertx.setTimer(RenderOptions.IDLE_MS, id -> {
      idleTimer = -1;
      read();
    });
  }

  private void cancelIdle() {
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
      idleTimer = -1;
    }
  }

  /** Reads the DOM (once), capped at the body size. */
  private void read() {
    if (reading || result.future().isComplete()) {
      return;
    }
    reading = true;
    session.send("Runtime.evaluate", new JsonObject()
            .put("expression", READ_DOM.formatted(options.maxBodyBytes()))
            .put("returnByValue", true))
        .compose(BrowserPage::valueOf)
        .onSuccess(this::onDom)
        .onFailure(this::commandFailed);
  }

  private void onDom(Object value) {
    if (!(value instanceof JsonObject dom)) {
      fail(new CrawlException(FailureKind.TOO_LARGE, url, "a DOM over the cap " + options.maxBodyBytes()));
      return;
    }
    byte[] html = dom.getString("html", "").getBytes(StandardCharsets.UTF_8);
    if (html.length > options.maxBodyBytes()) {
      fail(new CrawlException(FailureKind.TOO_LARGE, url, "a DOM of " + html.length + " bytes, over the cap"));
      return;
    }
    long elapsed = elapsedMs();
    String finalUrl = dom.getString("url", url);
    if (!responded) {
      status = dom.getInteger("status", 200);
      contentType = Headers.mediaType(dom.getString("type", "text/html")) + "; charset=utf-8";
    }
    if (options.screenshotDir() == null) {
      succeed(new Rendered(url, finalUrl, status, contentType, html, true, elapsed, redirects, retryAfter, null));
      return;
    }
    tab.page().screenshot(true)
        .onSuccess(png -> succeed(new Rendered(url, finalUrl, status, contentType, html, true, elapsed, redirects,
            retryAfter, png)))
        .onFailure(this::commandFailed);
  }

  /** A command that failed: the tab went away under it, or the browser refused it. */
  private void commandFailed(Throwable err) {
    if (err instanceof CdpException cdp && cdp.unanswered()) {
      unusable = true;
      fail(new TabLost(url, cdp.getMessage()));
    } else {
      fail(new CrawlException(FailureKind.BROWSER, url, err.getMessage(), err));
    }
  }

  private void succeed(Rendered rendered) {
    if (result.tryComplete(rendered)) {
      finish();
    }
  }

  private void fail(RuntimeException err) {
    if (result.tryFail(err)) {
      finish();
    }
  }

  private void finish() {
    if (timeoutTimer >= 0) {
      vertx.cancelTimer(timeoutTimer);
    }
    cancelIdle();
  }

  private void proceed(String pausedId) {
    session.send("Fetch.continueRequest", new JsonObject().put("requestId", pausedId));
  }

  private void refuse(String pausedId) {
    session.send("Fetch.failRequest", new JsonObject().put("requestId", pausedId).put("errorReason", "BlockedByClient"));
  }

  private String currentDocumentUrl() {
    return documentUrl == null ? url : documentUrl;
  }

  private long elapsedMs() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  private static boolean isHttp(String target) {
    return target.startsWith("http://") || target.startsWith("https://");
  }

  /** The tab went away under the page (crashed, closed, the browser gone): the page may be tried again. */
  static final class TabLost extends RuntimeException {
    TabLost(String url, String why) {
      super("browser " + url + ": " + why, null, false, false);
    }
  }
}
