package io.trawl.bench;

import io.trawl.CrawlJob;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
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
   * 200 ms. Without them the first latency crawl found the timer path cold (BENCHMARKS.md).
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
      warmUp(site).get(10, TimeUnit.MINUTES);
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
   * it, and as many connections as a crawl opens). The client is the JDK's, not Vert.x's: with a
   * Vert.x client in this process, Netty's pipeline was compiled for a client and a server at
   * once, and the first crawl paid for recompiling it. The first crawl still costs the server more
   * than a second one against the same process (BENCHMARKS.md), if less than before.
   */
  private static CompletableFuture<Void> warmUp(GeneratedSite site) {
    int pages = Math.min(WARM_UP_REQUESTS, Math.max(site.pages(), WARM_UP_REQUESTS / 4));
    int robots = Math.max(site.hosts(), WARM_UP_ROBOTS);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    site.delayed(false);
    return fetchAll(client, WARM_UP_CONCURRENCY, pages, i -> pageUri(site, i))
        .thenCompose(v -> fetchAll(client, WARM_UP_CONCURRENCY, robots, i -> robotsUri(site, i)))
        .whenComplete((v, err) -> site.delayed(true))
        .thenCompose(v -> site.latencyMs() == 0 ? CompletableFuture.completedFuture(null)
            : fetchAll(client, DELAYED_WARM_UP_CONCURRENCY, DELAYED_WARM_UP_REQUESTS, i -> pageUri(site, i)));
  }

  private static URI pageUri(GeneratedSite site, int i) {
    return URI.create(site.url(i % site.pages()));
  }

  /** The robots.txt of host {@code i}. */
  private static URI robotsUri(GeneratedSite site, int i) {
    return pageUri(site, i % site.hosts()).resolve("/robots.txt");
  }

  /** {@code total} requests with a crawl's headers, {@code concurrency} at a time, each body read and dropped. */
  private static CompletableFuture<Void> fetchAll(HttpClient client, int concurrency, int total,
      IntFunction<URI> targets) {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger running = new AtomicInteger(concurrency);
    CompletableFuture<Void> done = new CompletableFuture<>();
    for (int w = 0; w < concurrency; w++) {
      fetchNext(client, targets, next, total, running, done);
    }
    return done;
  }

  private static void fetchNext(HttpClient client, IntFunction<URI> targets, AtomicInteger next, int total,
      AtomicInteger running, CompletableFuture<Void> done) {
    int i = next.getAndIncrement();
    if (i >= total) {
      if (running.decrementAndGet() == 0) {
        done.complete(null);
      }
      return;
    }
    HttpRequest request = HttpRequest.newBuilder(targets.apply(i))
        .header("User-Agent", "trawl-bench-warm-up")
        .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        .header("Accept-Encoding", "deflate, gzip")
        .build();
    client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete((response, err) -> {
          if (err != null) {
            done.completeExceptionally(err);
          } else {
            fetchNext(client, targets, next, total, running, done);
          }
        });
  }

  private static long cpuMs() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1_000_000;
    }
    return -1;
  }
}
