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

  /** Fetches the first pages of the site from itself, without the latency, a few at a time. */
  private static Future<Void> warmUp(Vertx vertx, GeneratedSite site) {
    site.delayed(false);
    HttpClient client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(WARM_UP_CONCURRENCY));
    int total = Math.min(WARM_UP_REQUESTS, Math.max(site.pages(), WARM_UP_REQUESTS / 4));
    AtomicInteger next = new AtomicInteger();
    Promise<Void> done = Promise.promise();
    AtomicInteger running = new AtomicInteger(WARM_UP_CONCURRENCY);
    for (int w = 0; w < WARM_UP_CONCURRENCY; w++) {
      fetchNext(client, site, next, total, running, done);
    }
    return done.future()
        .eventually(client::close)
        .onComplete(ar -> site.delayed(true));
  }

  private static void fetchNext(HttpClient client, GeneratedSite site, AtomicInteger next, int total,
      AtomicInteger running, Promise<Void> done) {
    int i = next.getAndIncrement();
    if (i >= total) {
      if (running.decrementAndGet() == 0) {
        done.tryComplete();
      }
      return;
    }
    int page = i % site.pages();
    client.request(HttpMethod.GET, portOf(site.url(page)), "127.0.0.1", "/page/" + page)
        .compose(req -> req.send())
        .compose(HttpClientResponse::body)
        .onComplete(ar -> {
          if (ar.failed()) {
            done.tryFail(ar.cause());
          } else {
            fetchNext(client, site, next, total, running, done);
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
