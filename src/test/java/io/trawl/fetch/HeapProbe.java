package io.trawl.fetch;

import io.trawl.CrawlJob;
import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.trawl.core.FailureKind;
import io.trawl.testing.HostileBodies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/**
 * A child-JVM main for {@link HttpFetcherMemoryTest}: fetches hostile bodies with the default
 * fetch.max_body_size (10 MB) and prints, per body, the kind it ended as and the heap it took: the
 * sum of every heap pool's peak, reset after a GC before the fetch (the figure the crawl summary
 * prints), and the heap in use after that GC. One line per body:
 * {@code probe body=<name> outcome=<kind|ok> peakHeapMb=<n> baselineMb=<n> servedMb=<n>}.
 */
public final class HeapProbe {
  private HeapProbe() {}

  public static void main(String[] args) throws Exception {
    MockWebServer server = new MockWebServer();
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    // NIO as before, with the test run's blocked-thread limit.
    Vertx vertx = Vertx.vertx(CrawlJob.vertxOptions().setPreferNativeTransport(false));
    TrawlConfig.Fetch config = ConfigLoader.fromYaml("", Map.of("fetch.request_timeout", "60s")).fetch();
    HttpFetcher fetcher = new HttpFetcher(vertx, config);
    try {
      HostileBodies.Generated kept = HostileBodies.chunked(8L << 20);
      probe(server, fetcher, "kept-8MB", kept.response("text/html"), kept);
      HostileBodies.Generated announced = HostileBodies.generated(200L << 20);
      probe(server, fetcher, "announced-200MB", announced.response("text/html"), announced);
      HostileBodies.Generated streamed = HostileBodies.chunked(200L << 20);
      probe(server, fetcher, "chunked-200MB", streamed.response("text/html"), streamed);
      HostileBodies.GzipBomb bomb = HostileBodies.gzipBomb(1024);
      probe(server, fetcher, "gzip-bomb-1GB", bomb.response("text/html"), bomb);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      server.close();
    }
  }

  private static void probe(MockWebServer server, HttpFetcher fetcher, String name, MockResponse response,
      HostileBodies.Counted body) throws Exception {
    server.enqueue(response);
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    System.gc();
    System.gc();
    long baseline = heap.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    Future<FetchResult> fetch = fetcher.fetch("http://127.0.0.1:" + server.getPort() + "/" + name, u -> true);
    String outcome;
    try {
      fetch.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      outcome = "ok";
    } catch (java.util.concurrent.ExecutionException e) {
      outcome = FailureKind.of(e.getCause()).code();
    }
    long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    System.out.printf(Locale.ROOT, "probe body=%s outcome=%s peakHeapMb=%d baselineMb=%d servedMb=%d%n",
        name, outcome, peak >> 20, baseline >> 20, body.written() >> 20);
  }
}
