package io.trawl.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local site on 127.0.0.1 whose pages a test edits, removes and adds between two crawls, as a
 * real site changes from one day to the next. A page may carry an ETag and a Last-Modified, and a
 * conditional request for it is answered as an HTTP cache would: {@code 304 Not Modified} with no
 * body when {@code If-None-Match} matches its ETag, or (without one) when {@code
 * If-Modified-Since} is its Last-Modified. Every request is logged with its conditional headers,
 * the status answered and the body bytes sent. A path it does not have answers 404. Event loop.
 */
public final class ChangingSite {
  /**
   * One request as the server saw and answered it.
   *
   * @param ifNoneMatch the request's If-None-Match, or null
   * @param ifModifiedSince the request's If-Modified-Since, or null
   * @param bodyBytes the body bytes sent (0 for a 304)
   */
  public record Hit(String path, String ifNoneMatch, String ifModifiedSince, int status, int bodyBytes) {}

  /** A page as served now: its body and type, and its validators (null for none). */
  private record Page(String contentType, String html, String etag, String lastModified) {}

  private final Vertx vertx;
  private final Map<String, Page> pages = new ConcurrentHashMap<>();
  private final List<Hit> hits = new CopyOnWriteArrayList<>();
  private LoopbackServer server;

  public ChangingSite(Vertx vertx) {
    this.vertx = vertx;
  }

  public ChangingSite start() {
    server = LoopbackServer.start(vertx, this::handle);
    return this;
  }

  public String url(String path) {
    return server.url(path);
  }

  /** Serves {@code html} at {@code path} from now on, with these validators (null for none). */
  public ChangingSite put(String path, String html, String etag, String lastModified) {
    return put(path, "text/html; charset=utf-8", html, etag, lastModified);
  }

  /** Serves {@code body} of {@code contentType} at {@code path} from now on, without validators. */
  public ChangingSite put(String path, String contentType, String body) {
    return put(path, contentType, body, null, null);
  }

  private ChangingSite put(String path, String contentType, String body, String etag, String lastModified) {
    pages.put(path, new Page(contentType, body, etag, lastModified));
    return this;
  }

  /** Serves 404 at {@code path} from now on. */
  public ChangingSite remove(String path) {
    pages.remove(path);
    return this;
  }

  /** Every request so far, in arrival order. */
  public List<Hit> hits() {
    return List.copyOf(hits);
  }

  /** The requests so far for pages (robots.txt and sitemaps aside). */
  public List<Hit> pageHits() {
    return hits.stream().filter(h -> !h.path().equals("/robots.txt") && !h.path().endsWith(".xml")).toList();
  }

  public void clearLog() {
    hits.clear();
  }

  private void handle(HttpServerRequest request) {
    String ifNoneMatch = request.getHeader("If-None-Match");
    String ifModifiedSince = request.getHeader("If-Modified-Since");
    Page page = pages.get(request.path());
    if (page == null) {
      byte[] body = "<title>not found</title>".getBytes(StandardCharsets.UTF_8);
      hits.add(new Hit(request.path(), ifNoneMatch, ifModifiedSince, 404, body.length));
      request.response().setStatusCode(404).putHeader("content-type", "text/html").end(Buffer.buffer(body));
      return;
    }
    boolean notModified = ifNoneMatch != null
        ? page.etag() != null && page.etag().equals(ifNoneMatch)
        : ifModifiedSince != null && page.lastModified() != null && page.lastModified().equals(ifModifiedSince);
    if (page.etag() != null) {
      request.response().putHeader("ETag", page.etag());
    }
    if (page.lastModified() != null) {
      request.response().putHeader("Last-Modified", page.lastModified());
    }
    if (notModified) {
      hits.add(new Hit(request.path(), ifNoneMatch, ifModifiedSince, 304, 0));
      request.response().setStatusCode(304).end();
      return;
    }
    byte[] body = page.html().getBytes(StandardCharsets.UTF_8);
    hits.add(new Hit(request.path(), ifNoneMatch, ifModifiedSince, 200, body.length));
    request.response().putHeader("content-type", page.contentType()).end(Buffer.buffer(body));
  }
}
