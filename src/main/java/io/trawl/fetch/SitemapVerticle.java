package io.trawl.fetch;

import io.trawl.bus.Addresses;
import io.trawl.bus.Delivery;
import io.trawl.bus.DiscoveredUrls;
import io.trawl.bus.Replies;
import io.trawl.bus.RobotsQuery;
import io.trawl.bus.RobotsSitemaps;
import io.trawl.bus.SitemapRequest;
import io.trawl.config.TrawlConfig;
import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;
import io.trawl.core.Scope;
import io.trawl.core.UrlNormalizer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a seed host's sitemaps ({@code crawl.sitemaps}): the {@code Sitemap:} lines of its
 * robots.txt, else {@code /sitemap.xml}; follows index files {@value #MAX_INDEX_LEVELS} levels
 * deep, at most {@link SitemapRequest#MAX_FILES} files a host, fetched one at a time and spaced by
 * {@code fetch.per_host_rate}, with the host's settings, cookies and proxy ({@link FetchContext}).
 * Each file's URLs go to the store as frontier rows at depth 1.
 * Event loop; parsing runs on a worker ({@link SitemapReader}).
 */
public final class SitemapVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(SitemapVerticle.class);
  static final int MAX_INDEX_LEVELS = 2;
  private static final DeliveryOptions STORE = Delivery.local(Replies.STORE_REPLY_MS);

  private final TrawlConfig config;
  private final Scope scope;
  private final FetchContext context;
  private final SitemapReader reader;
  private HttpFetcher fetcher;

  /** @param context what the fetchers of the crawl share: host settings, cookies, proxies */
  public SitemapVerticle(TrawlConfig config, Scope scope, FetchContext context) {
    this.config = config;
    this.scope = scope;
    this.context = context;
    this.reader = new SitemapReader(scope, config.crawl().maxSitemapUrls(), config.fetch().maxUrlLength());
  }

  @Override
  public Future<?> start() {
    fetcher = new HttpFetcher(vertx, config.fetch(), context);
    return vertx.eventBus().<SitemapRequest>localConsumer(Addresses.SITEMAPS, this::onSitemapRequest).completion();
  }

  @Override
  public Future<?> stop() {
    return fetcher.close();
  }

  private void onSitemapRequest(Message<SitemapRequest> msg) {
    SitemapRequest request = msg.body();
    new HostSitemaps(request.seedUrl()).read()
        .onSuccess(msg::reply)
        .onFailure(err -> Replies.fail(msg, Replies.kindOf(err), String.valueOf(err.getMessage())));
  }

  /** One host's sitemaps being read, one file at a time. */
  private final class HostSitemaps {
    private record Entry(String url, int level) {}

    private final String origin;
    private final String host;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final Set<String> visited = new HashSet<>();
    private int files;
    private int added;

    HostSitemaps(String seedUrl) {
      this.origin = KnownRobots.origin(seedUrl);
      this.host = UrlNormalizer.host(seedUrl);
    }

    Future<Integer> read() {
      long robotsTimeoutMs = config.fetch().requestTimeout().toMillis() + 30_000;
      return vertx.eventBus().<RobotsSitemaps>request(Addresses.ROBOTS_SITEMAPS, new RobotsQuery(origin + "/"),
              Delivery.local(robotsTimeoutMs))
          .map(reply -> reply.body().urls())
          .recover(err -> {
            log.debug("sitemaps: robots.txt not read origin={}", origin, err);
            return Future.succeededFuture(List.of());
          })
          .compose(listed -> {
            (listed.isEmpty() ? List.of(origin + "/sitemap.xml") : listed).forEach(url -> enqueue(url, 0));
            return next();
          })
          .onSuccess(n -> log.info("sitemaps read origin={} files={} added={}", origin, files, n));
    }

    private Future<Integer> next() {
      Entry entry = queue.poll();
      if (entry == null || files >= SitemapRequest.MAX_FILES) {
        return Future.succeededFuture(added);
      }
      long waitMs = files == 0 ? 0 : config.fetch().perHostRate().intervalNanos() / 1_000_000;
      files++;
      return delay(waitMs)
          .compose(v -> readOne(entry))
          .recover(err -> {
            FailureKind kind = Replies.kindOf(err);
            if (kind.equals(FailureKind.STORE)) {
              return Future.failedFuture(err);
            }
            log.debug("sitemap not read url={} kind={}", entry.url(), kind.code(), err);
            return Future.succeededFuture();
          })
          .compose(v -> next());
    }

    private Future<Void> readOne(Entry entry) {
      return fetcher.fetch(entry.url(), this::mayFetch)
          .compose(result -> {
            if (result.status() < 200 || result.status() >= 300) {
              return Future.failedFuture(new CrawlException(FailureKind.http(result.status()), entry.url(), "sitemap"));
            }
            return vertx.executeBlocking(() -> reader.read(result.finalUrl(), result.contentType(), result.body()), false);
          })
          .compose(contents -> {
            contents.sitemaps().forEach(child -> enqueue(child, entry.level() + 1));
            log.debug("sitemap read url={} urls={} sitemaps={}", entry.url(), contents.urls().size(),
                contents.sitemaps().size());
            return store(contents);
          });
    }

    private Future<Void> store(SitemapReader.Contents contents) {
      if (contents.urls().isEmpty()) {
        return Future.succeededFuture();
      }
      DiscoveredUrls urls = new DiscoveredUrls(contents.urls(), 1, contents.lastModifiedMs(), contents.changeIntervalMs());
      return vertx.eventBus().<Integer>request(Addresses.STORE_DISCOVERED, urls, STORE)
          .onSuccess(reply -> added += reply.body())
          .mapEmpty();
    }

    private void enqueue(String url, int level) {
      UrlNormalizer.normalize(url)
          .filter(sitemap -> level <= MAX_INDEX_LEVELS && sitemap.length() <= config.fetch().maxUrlLength()
              && mayFetch(sitemap) && visited.add(sitemap))
          .ifPresent(sitemap -> queue.add(new Entry(sitemap, level)));
    }

    /** A sitemap file may live on the seed's host, or anywhere in scope. */
    private boolean mayFetch(String url) {
      return UrlNormalizer.normalize(url).filter(n -> UrlNormalizer.host(n).equals(host) || scope.allows(n)).isPresent();
    }

    private Future<Void> delay(long ms) {
      if (ms <= 0) {
        return Future.succeededFuture();
      }
      Promise<Void> waited = Promise.promise();
      vertx.setTimer(ms, id -> waited.complete());
      return waited.future();
    }
  }
}
