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
 * links off-site and to non-http schemes, which a crawl must never request. Pages are rendered
 * when asked, never stored, so a site of millions of pages costs no memory. With several hosts,
 * each host is a port of its own on 127.0.0.1 (trawl's politeness is per host and port), page
 * {@code i} lives on host {@code i % hosts} and links are absolute. Counts requests and the most
 * ever in flight at once. Event loop.
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
  private final Set<Long> serverThreads = ConcurrentHashMap.newKeySet();
  private final int hostCount;
  private final Filler filler;
  private final List<HttpServer> servers = new ArrayList<>();
  private volatile boolean delayed = true;
  private String[] origins;

  public GeneratedSite(Vertx vertx, int pages, int pageBytes, int linksPerPage, long latencyMs) {
    this(vertx, pages, pageBytes, linksPerPage, latencyMs, 1);
  }

  /** @param hosts hosts the pages are spread over, each a port of 127.0.0.1 */
  public GeneratedSite(Vertx vertx, int pages, int pageBytes, int linksPerPage, long latencyMs, int hosts) {
    if (pages < 1 || linksPerPage < 3 || hosts < 1) {
      throw new IllegalArgumentException("a site needs at least 1 page, 3 links per page and 1 host");
    }
    this.vertx = vertx;
    this.pages = pages;
    this.pageBytes = pageBytes;
    this.linksPerPage = linksPerPage;
    this.latencyMs = latencyMs;
    this.hostCount = hosts;
    this.filler = Filler.atLeast(pageBytes);
  }

  /** Starts listening on ephemeral ports of 127.0.0.1, one per host. */
  public Future<GeneratedSite> start() {
    List<Future<HttpServer>> listening = new ArrayList<>();
    for (int h = 0; h < hostCount; h++) {
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
      servers.add(server);
      listening.add(server.requestHandler(this::handle).listen());
    }
    return Future.all(listening).map(v -> {
      origins = servers.stream().map(s -> "http://127.0.0.1:" + s.actualPort()).toArray(String[]::new);
      return this;
    });
  }

  public Future<Void> stop() {
    return Future.all(servers.stream().map(HttpServer::close).toList()).mapEmpty();
  }

  /** The port of the first host, the one of page 0. */
  public int port() {
    return servers.get(0).actualPort();
  }

  /** The URL of page {@code i}. */
  public String url(int i) {
    return origins[i % hostCount] + "/page/" + i;
  }

  public int hosts() {
    return hostCount;
  }

  /**
   * Whether responses wait the site's latency (the default). A warm-up of the server's own code
   * turns it off for a while, so that it does not last the latency times the pages.
   */
  public void delayed(boolean delayed) {
    this.delayed = delayed;
  }

  /** Forgets the requests counted so far (after a warm-up). */
  public void resetCounts() {
    requests.set(0);
    strayRequests.set(0);
    maxInFlight.set(0);
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
    if (latencyMs > 0 && delayed) {
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
      html.ascii("<li><a href=\"");
      if (hostCount > 1) {
        html.ascii(origins[target % hostCount]);
      }
      html.ascii("/page/").number(target).ascii("\">page ").number(target).ascii("</a></li>");
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
