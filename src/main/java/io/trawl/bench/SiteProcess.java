package io.trawl.bench;

import io.trawl.CrawlJob;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The generated site in a process of its own, for {@code trawl bench --cold}: serves it, first
 * warms its own code up (the crawl measured should not pay for the server's JIT), then prints one
 * line, {@code serving <url of page 0>}, and answers each {@code stats} line on its standard input
 * with one line of counts and its own CPU. Ends when its standard input closes, so it never
 * outlives the bench that started it. Runs on the calling (main) thread, which only reads and
 * writes lines; the serving is on event loops.
 */
public final class SiteProcess {
  /** Requests of the warm-up, at most: enough for the JIT to compile the server's hot paths. */
  static final int WARM_UP_REQUESTS = 20_000;
  private static final int WARM_UP_CONCURRENCY = 32;
  /** robots.txt requests of the warm-up, at least (each host's once, if more). */
  private static final int WARM_UP_ROBOTS = 2_000;
  /**
   * Requests through the latency's timer: 10,000 at 256 at a time take 2 s at 50 ms, 8 s at
   * 200 ms, and leave the server's CPU a page in a latency crawl's first seconds at that of a
   * later crawl (BENCHMARKS.md).
   */
  private static final int DELAYED_WARM_UP_REQUESTS = 10_000;
  private static final int DELAYED_WARM_UP_CONCURRENCY = 256;

  private SiteProcess() {}

  /**
   * Serves the site until standard input closes.
   *
   * @param out where the {@code serving} and {@code stats} lines go
   */
  public static void serve(int pages, int pageBytes, int links, long latencyMs, int hosts, PrintStream out)
      throws Exception {
    Vertx vertx = Vertx.vertx(CrawlJob.vertxOptions());
    try {
      GeneratedSite site = new GeneratedSite(vertx, pages, pageBytes, links, latencyMs, 0, hosts).start()
          .toCompletionStage().toCompletableFuture().get();
      warmUp(vertx, site).toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
      site.resetCounts();
      out.println("serving " + site.url(0));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.strip().equals("stats")) {
          out.println(String.format(Locale.ROOT, "stats requests=%d stray=%d max_in_flight=%d cpu_ms=%d robots=%d",
              site.requests(), site.strayRequests(), site.maxInFlight(), cpuMs(), site.robotsRequests()));
          out.flush();
        }
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Fetches the site from itself, the way a crawl will: its pages without the latency (fast, so
   * the page code is compiled in seconds), each host's robots.txt, then, where the site has a
   * latency, pages through the delayed path too (a timer a response, the code that answers from
   * it, and as many connections as a crawl opens). Without that last part a latency crawl's first
   * seconds paid for the server's compiles: its CPU a page was twice that of a second crawl
   * against the same process.
   */
  private static Future<Void> warmUp(Vertx vertx, GeneratedSite site) {
    int pages = Math.min(WARM_UP_REQUESTS, Math.max(site.pages(), WARM_UP_REQUESTS / 4));
    int robots = Math.max(site.hosts(), WARM_UP_ROBOTS);
    site.delayed(false);
    return fetchAll(vertx, WARM_UP_CONCURRENCY, pages, i -> pagePath(site, i))
        .compose(v -> fetchAll(vertx, WARM_UP_CONCURRENCY, robots, i -> robotsPath(site, i)))
        .onComplete(ar -> site.delayed(true))
        .compose(v -> site.latencyMs() == 0 ? Future.succeededFuture()
            : fetchAll(vertx, DELAYED_WARM_UP_CONCURRENCY, DELAYED_WARM_UP_REQUESTS, i -> pagePath(site, i)));
  }

  /** Where a warm-up request goes on 127.0.0.1. */
  private record Target(int port, String path) {}

  /** Page {@code i}'s port and path. */
  private static Target pagePath(GeneratedSite site, int i) {
    int page = i % site.pages();
    return new Target(portOf(site.url(page)), "/page/" + page);
  }

  /** The robots.txt of host {@code i}. */
  private static Target robotsPath(GeneratedSite site, int i) {
    return new Target(portOf(site.url(i % site.hosts())), "/robots.txt");
  }

  /** {@code total} requests, {@code concurrency} at a time, each body read. */
  private static Future<Void> fetchAll(Vertx vertx, int concurrency, int total,
      IntFunction<Target> targets) {
    HttpClient client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(concurrency));
    AtomicInteger next = new AtomicInteger();
    Promise<Void> done = Promise.promise();
    AtomicInteger running = new AtomicInteger(concurrency);
    for (int w = 0; w < concurrency; w++) {
      fetchNext(client, targets, next, total, running, done);
    }
    return done.future().eventually(client::close);
  }

  private static void fetchNext(HttpClient client, IntFunction<Target> targets,
      AtomicInteger next, int total, AtomicInteger running, Promise<Void> done) {
    int i = next.getAndIncrement();
    if (i >= total) {
      if (running.decrementAndGet() == 0) {
        done.tryComplete();
      }
      return;
    }
    Target target = targets.apply(i);
    client.request(HttpMethod.GET, target.port(), "127.0.0.1", target.path())
        .compose(req -> req.send())
        .compose(HttpClientResponse::body)
        .onComplete(ar -> {
          if (ar.failed()) {
            done.tryFail(ar.cause());
          } else {
            fetchNext(client, targets, next, total, running, done);
          }
        });
  }

  private static int portOf(String url) {
    String authority = url.substring("http://".length(), url.indexOf('/', "http://".length()));
    return Integer.parseInt(authority.substring(authority.indexOf(':') + 1));
  }

  private static long cpuMs() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1_000_000;
    }
    return -1;
  }
}
