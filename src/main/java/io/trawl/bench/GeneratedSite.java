package io.trawl.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic site served on 127.0.0.1 by a Vert.x HTTP server, for the benchmark and the
 * integration tests: pages {@code /page/0} … {@code /page/N-1}, each of about {@code pageBytes}
 * bytes with {@code linksPerPage} links, every page reachable from {@code /page/0}. Each page also
 * links off-site and to non-http schemes, which a crawl must never request. Counts requests and
 * the most ever in flight at once. Event loop.
 */
public final class GeneratedSite {
  private final Vertx vertx;
  private final int pages;
  private final int pageBytes;
  private final int linksPerPage;
  private final long latencyMs;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong strayRequests = new AtomicLong();
  private final AtomicLong robotsRequests = new AtomicLong();
  private final Set<Long> serverThreads = ConcurrentHashMap.newKeySet();
  private final Filler filler;
  private HttpServer server;

  public GeneratedSite(Vertx vertx, int pages, int pageBytes, int linksPerPage, long latencyMs) {
    if (pages < 1 || linksPerPage < 3) {
      throw new IllegalArgumentException("a site needs at least 1 page and 3 links per page");
    }
    this.vertx = vertx;
    this.pages = pages;
    this.pageBytes = pageBytes;
    this.linksPerPage = linksPerPage;
    this.latencyMs = latencyMs;
    this.filler = Filler.atLeast(pageBytes);
  }

  /** Starts listening on an ephemeral port of 127.0.0.1. */
  public Future<GeneratedSite> start() {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    return server.requestHandler(this::handle).listen().map(this);
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int port() {
    return server.actualPort();
  }

  /** The URL of page {@code i}. */
  public String url(int i) {
    return "http://127.0.0.1:" + port() + "/page/" + i;
  }

  /** The page numbers page {@code i} links to, in document order (duplicates possible). */
  public List<Integer> linksOf(int i) {
    List<Integer> links = new ArrayList<>(linksPerPage);
    links.add((i + 1) % pages);
    links.add((int) ((2L * i + 1) % pages));
    links.add((int) ((2L * i + 2) % pages));
    for (int j = 3; j < linksPerPage; j++) {
      links.add((int) ((i * 7919L + j * 104_729L) % pages));
    }
    return links;
  }

  /** The title of page {@code i}. */
  public static String title(int i) {
    return "Page " + i + " — généré";
  }

  public int pages() {
    return pages;
  }

  public long requests() {
    return requests.get();
  }

  /** Requests for anything but a page of the site (robots.txt aside). */
  public long strayRequests() {
    return strayRequests.get();
  }

  /** Requests for /robots.txt (counted in {@link #requests()} too). */
  public long robotsRequests() {
    return robotsRequests.get();
  }

  public int maxInFlight() {
    return maxInFlight.get();
  }

  /** Ids of the threads that have served requests, so the bench can tell the server's CPU from the crawler's. */
  public Set<Long> serverThreads() {
    return Set.copyOf(serverThreads);
  }

  private void handle(HttpServerRequest request) {
    requests.incrementAndGet();
    serverThreads.add(Thread.currentThread().getId());
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    if (latencyMs > 0) {
      vertx.setTimer(latencyMs, id -> respond(request));
    } else {
      respond(request);
    }
  }

  private void respond(HttpServerRequest request) {
    try {
      answer(request);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void answer(HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/robots.txt")) {
      robotsRequests.incrementAndGet();
      request.response().setStatusCode(404).end();
      return;
    }
    int page = pageNumber(path);
    if (page < 0) {
      strayRequests.incrementAndGet();
      request.response().setStatusCode(404).putHeader("content-type", "text/html").end("<title>not found</title>");
      return;
    }
    request.response()
        .putHeader("content-type", "text/html; charset=utf-8")
        .end(Buffer.buffer(render(page)));
  }

  private int pageNumber(String path) {
    if (!path.startsWith("/page/")) {
      return -1;
    }
    try {
      int n = Integer.parseInt(path.substring(6));
      return n >= 0 && n < pages ? n : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The HTML of page {@code i}, exactly as served, as UTF-8 bytes. Written straight into bytes with
   * the filler cut from one precomputed block, so that serving a page costs the server little of
   * the CPU the benchmark is measuring.
   */
  public byte[] render(int i) {
    PageBytes html = new PageBytes(pageBytes + 64 * linksPerPage + 256);
    html.ascii("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").utf8(title(i))
        .ascii("</title></head><body><h1>Page ").number(i).ascii("</h1><ul>");
    for (int target : linksOf(i)) {
      html.ascii("<li><a href=\"/page/").number(target).ascii("\">page ").number(target).ascii("</a></li>");
    }
    html.ascii("</ul><p><a href=\"http://offsite.invalid/x/").number(i).ascii("\">elsewhere</a> ")
        .ascii("<a href=\"mailto:someone@example.com\">mail</a> <a href=\"javascript:void(0)\">js</a> ")
        .ascii("<a href=\"#top\">top</a></p>");
    html.bytes(filler.text(), 0, filler.cut(pageBytes - html.length()));
    return html.ascii("</body></html>").toArray();
  }

  /** Paragraphs of filler text, as bytes, and the offset where each paragraph ends. */
  private record Filler(byte[] text, int[] ends) {
    static Filler atLeast(int bytes) {
      StringBuilder text = new StringBuilder();
      List<Integer> ends = new ArrayList<>();
      for (int p = 0; text.length() < bytes; p++) {
        text.append("<p>Paragraph ").append(p)
            .append(" of filler text so the page weighs what a real page weighs; nothing to see here.</p>");
        ends.add(text.length());
      }
      return new Filler(text.toString().getBytes(StandardCharsets.US_ASCII),
          ends.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Bytes of whole paragraphs that make up at least {@code missing} bytes (or none). */
    int cut(int missing) {
      if (missing <= 0) {
        return 0;
      }
      for (int end : ends) {
        if (end >= missing) {
          return end;
        }
      }
      return text.length;
    }
  }

  /** A growable byte array for writing a page. */
  private static final class PageBytes {
    private byte[] buf;
    private int length;

    PageBytes(int capacity) {
      buf = new byte[capacity];
    }

    int length() {
      return length;
    }

    PageBytes ascii(String s) {
      ensure(s.length());
      for (int k = 0; k < s.length(); k++) {
        buf[length++] = (byte) s.charAt(k);
      }
      return this;
    }

    PageBytes utf8(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      return bytes(b, 0, b.length);
    }

    PageBytes number(int n) {
      return ascii(Integer.toString(n));
    }

    PageBytes bytes(byte[] b, int from, int count) {
      ensure(count);
      System.arraycopy(b, from, buf, length, count);
      length += count;
      return this;
    }

    byte[] toArray() {
      return length == buf.length ? buf : java.util.Arrays.copyOf(buf, length);
    }

    private void ensure(int more) {
      if (length + more > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
      }
    }
  }
}
