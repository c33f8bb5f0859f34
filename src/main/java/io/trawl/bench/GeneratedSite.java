package io.trawl.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic site served on 127.0.0.1 by a Vert.x HTTP server, for the benchmark and the
 * integration tests: pages {@code /page/0} … {@code /page/N-1}, each of about {@code pageBytes}
 * bytes with {@code linksPerPage} links, every page reachable from {@code /page/0}. Each page also
 * links off-site and to non-http schemes, which a crawl must never request. Pages are rendered
 * when asked, never stored, so a site of millions of pages costs no memory. Counts requests, the
 * most ever in flight at once, 304 answers and body bytes sent. {@link #withValidators()} has it
 * send an ETag and a Last-Modified with each page and answer a conditional request for an
 * unchanged page with {@code 304 Not Modified}; {@link #edit} changes pages between crawls. Event
 * loop.
 *
 * <p>With several hosts, each host is a port of its own on 127.0.0.1 (trawl's politeness is per
 * host and port), page {@code i} lives on host {@code i % hosts} and links are absolute.
 *
 * <p>With {@code scriptEvery} k > 0, every k-th page (0, k, 2k...) is built in the browser
 * instead, as a single-page app is: {@code /app/<i>} serves a shell whose script ({@code
 * /static/app.js}) fetches {@code /data/<i>.json} and writes the same heading, links and text
 * into the page (a {@code ul.links} list); the shell also asks for a stylesheet, an image and a
 * font, which a renderer that blocks them never requests (they would count as stray requests).
 * Links point to {@code /app/} or {@code /page/} by the target's kind.
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
  private final AtomicLong notModified = new AtomicLong();
  private final AtomicLong bodyBytes = new AtomicLong();
  private final AtomicIntegerArray editions;
  private volatile boolean validators;
  private final Set<Long> serverThreads = ConcurrentHashMap.newKeySet();
  private final int hostCount;
  private final Filler filler;
  private final int scriptEvery;
  private final List<HttpServer> servers = new ArrayList<>();
  private volatile boolean delayed = true;
  private String[] origins;

  public GeneratedSite(Vertx vertx, int pages, int pageBytes, int linksPerPage, long latencyMs) {
    this(vertx, pages, pageBytes, linksPerPage, latencyMs, 0);
  }

  /** @param scriptEvery every k-th page is built by its script from JSON; 0 = none, 1 = all */
  public GeneratedSite(Vertx vertx, int pages, int pageBytes, int linksPerPage, long latencyMs, int scriptEvery) {
    this(vertx, pages, pageBytes, linksPerPage, latencyMs, scriptEvery, 1);
  }

  /**
   * @param scriptEvery every k-th page is built by its script from JSON; 0 = none, 1 = all
   * @param hosts hosts the pages are spread over, each a port of 127.0.0.1
   */
  public GeneratedSite(Vertx vertx, int pages, int pageBytes, int linksPerPage, long latencyMs, int scriptEvery,
      int hosts) {
    if (pages < 1 || linksPerPage < 3 || scriptEvery < 0 || hosts < 1) {
      throw new IllegalArgumentException("a site needs at least 1 page, 3 links per page and 1 host");
    }
    this.vertx = vertx;
    this.pages = pages;
    this.pageBytes = pageBytes;
    this.linksPerPage = linksPerPage;
    this.latencyMs = latencyMs;
    this.hostCount = hosts;
    this.filler = Filler.atLeast(pageBytes);
    this.scriptEvery = scriptEvery;
    this.editions = new AtomicIntegerArray(pages);
  }

  /** Sends validators with every page and answers conditional requests (call before {@link #start}). */
  public GeneratedSite withValidators() {
    validators = true;
    return this;
  }

  /**
   * Changes every page whose number is {@code 1 (mod every)} (a tenth of them for 10, page 0
   * aside so the crawl's start stays), as a site edits pages between two crawls: its body gains
   * an edition line and its validators change. Returns how many pages changed.
   */
  public int edit(int every) {
    int changed = 0;
    for (int i = 1; i < pages; i++) {
      if (i % every == 1 % every) {
        editions.incrementAndGet(i);
        changed++;
      }
    }
    return changed;
  }

  /** How many times page {@code i} has been edited. */
  public int edition(int i) {
    return editions.get(i);
  }

  /** Requests answered {@code 304 Not Modified}. */
  public long notModified() {
    return notModified.get();
  }

  /** Body bytes sent for pages (304s send none). */
  public long bodyBytes() {
    return bodyBytes.get();
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
    return origins[i % hostCount] + path(i);
  }

  public int hosts() {
    return hostCount;
  }

  /** How long each response waits while {@link #delayed(boolean) delayed}. */
  public long latencyMs() {
    return latencyMs;
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
    robotsRequests.set(0);
    notModified.set(0);
    bodyBytes.set(0);
    maxInFlight.set(0);
  }

  /** Whether page {@code i} is built by its script (served at {@code /app/<i>}). */
  public boolean scripted(int i) {
    return scriptEvery > 0 && i % scriptEvery == 0;
  }

  /** How many of the pages are built by their script. */
  public int scriptedPages() {
    return scriptEvery == 0 ? 0 : (pages + scriptEvery - 1) / scriptEvery;
  }

  private String path(int i) {
    return (scripted(i) ? "/app/" : "/page/") + i;
  }

  /** The page numbers page {@code i} links to, in document order (duplicates possible). */
  public List<Integer> linksOf(int i) {
    List<Integer> links = new ArrayList<>(linksPerPage);
    for (int j = 0; j < linksPerPage; j++) {
      links.add(link(i, j, pages));
    }
    return links;
  }

  /**
   * The page that link {@code j} of page {@code i} leads to, on a site of {@code pages} pages: the
   * next page and the two "children" (so every page is reachable from page 0), then pages spread
   * over the whole site.
   */
  static int link(int i, int j, int pages) {
    return switch (j) {
      case 0 -> (i + 1) % pages;
      case 1 -> (int) ((2L * i + 1) % pages);
      case 2 -> (int) ((2L * i + 2) % pages);
      default -> (int) ((i * 7919L + j * 104_729L) % pages);
    };
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
      robotsRequests.incrementAndGet();
      request.response().setStatusCode(404).end();
      return;
    }
    if (scriptEvery > 0 && answerScripted(request, path)) {
      return;
    }
    int page = pageNumber(path, "/page/");
    if (page < 0 || scripted(page)) {
      strayRequests.incrementAndGet();
      request.response().setStatusCode(404).putHeader("content-type", "text/html").end("<title>not found</title>");
      return;
    }
    if (validators) {
      String etag = etag(page);
      String lastModified = lastModified(page);
      if (etag.equals(request.getHeader("If-None-Match"))) {
        notModified.incrementAndGet();
        request.response().setStatusCode(304).putHeader("etag", etag).end();
        return;
      }
      request.response().putHeader("etag", etag).putHeader("last-modified", lastModified);
    }
    byte[] body = render(page);
    bodyBytes.addAndGet(body.length);
    request.response()
        .putHeader("content-type", "text/html; charset=utf-8")
        .end(Buffer.buffer(body));
  }

  /** The ETag of page {@code i} as it is now. */
  public String etag(int i) {
    return "\"" + i + "-" + editions.get(i) + "\"";
  }

  /** The Last-Modified of page {@code i} as it is now: a day per edition after a fixed date. */
  public String lastModified(int i) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(
        ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusDays(editions.get(i)));
  }

  /** The shell, its script and its data; false for any other path. */
  private boolean answerScripted(HttpServerRequest request, String path) {
    if (path.equals("/static/app.js")) {
      request.response().putHeader("content-type", "text/javascript").putHeader("cache-control", "max-age=3600")
          .end(APP_JS);
      return true;
    }
    int page = pageNumber(path, "/app/");
    if (page >= 0 && scripted(page)) {
      request.response().putHeader("content-type", "text/html; charset=utf-8").end(shell());
      return true;
    }
    if (path.startsWith("/data/") && path.endsWith(".json")) {
      int data = pageNumber(path.substring(0, path.length() - 5), "/data/");
      if (data >= 0 && scripted(data)) {
        request.response().putHeader("content-type", "application/json").end(data(data));
        return true;
      }
    }
    return false;
  }

  /** Builds the page from {@code /data/<i>.json}: the same title, heading, links and text as a plain page. */
  private static final String APP_JS = """
      const id = location.pathname.split('/').pop();
      fetch('/data/' + id + '.json').then(r => r.json()).then(d => {
        document.title = d.title;
        document.getElementById('app').innerHTML = '<h1>Page ' + id + '</h1><ul class="links">'
          + d.links.map(l => '<li><a href="' + l + '">page ' + l.split('/').pop() + '</a></li>').join('')
          + '</ul>' + d.text;
      });
      """;

  /** The shell of a scripted page: nothing to read, a script to run, and resources a renderer may block. */
  public static String shell() {
    return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>loading</title>"
        + "<link rel=\"stylesheet\" href=\"/static/style.css\">"
        + "<style>@font-face { font-family: F; src: url('/static/font.woff2'); } body { font-family: F; }</style>"
        + "</head><body><div id=\"app\"></div><img src=\"/static/logo.png\" alt=\"\">"
        + "<script src=\"/static/app.js\"></script></body></html>";
  }

  /** The data of scripted page {@code i}: its title, links and text, as JSON. */
  public String data(int i) {
    JsonArray links = new JsonArray();
    for (int target : linksOf(i)) {
      links.add(path(target));
    }
    String text = new String(filler.text(), 0, filler.cut(pageBytes), StandardCharsets.US_ASCII);
    return new JsonObject().put("title", title(i)).put("links", links).put("text", text).encode();
  }

  private int pageNumber(String path, String prefix) {
    if (!path.startsWith(prefix)) {
      return -1;
    }
    try {
      int n = Integer.parseInt(path.substring(prefix.length()));
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
        .ascii("</title></head><body><h1>Page ").number(i).ascii("</h1><ul class=\"links\">");
    for (int target : linksOf(i)) {
      html.ascii("<li><a href=\"");
      if (hostCount > 1) {
        html.ascii(origins[target % hostCount]);
      }
      html.ascii(path(target)).ascii("\">page ").number(target).ascii("</a></li>");
    }
    html.ascii("</ul><p><a href=\"http://offsite.invalid/x/").number(i).ascii("\">elsewhere</a> ")
        .ascii("<a href=\"mailto:someone@example.com\">mail</a> <a href=\"javascript:void(0)\">js</a> ")
        .ascii("<a href=\"#top\">top</a></p>");
    int edition = editions.get(i);
    if (edition > 0) {
      html.ascii("<p>Edition ").number(edition).ascii("</p>");
    }
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
