package io.trawl.fetch;

import io.trawl.bus.Addresses;
import io.trawl.bus.Delivery;
import io.trawl.bus.CookieChanges;
import io.trawl.bus.CookieRecord;
import io.trawl.bus.StoredCookies;
import io.trawl.bus.Replies;
import io.trawl.config.TrawlConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crawl's cookie jar between runs: fills it at start ({@code fetch.cookies_file}, then what
 * the database kept, which wins: {@code --resume} continues the sessions the last run had), and
 * saves its changes to the store every {@value #SAVE_EVERY_MS} ms and once more when it stops (the
 * page fetchers also save a page's cookies before the page, so a stored page never lacks the
 * cookies that came with it). Deployed before the fetchers and stopped after them, only when
 * {@code fetch.cookies} is on. Event loop; the cookie file and the Public Suffix List are read on
 * a worker.
 */
public final class CookieVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(CookieVerticle.class);
  static final long SAVE_EVERY_MS = 500;
  private static final DeliveryOptions STORE = Delivery.local(Replies.STORE_REPLY_MS);

  private final TrawlConfig.Fetch config;
  private final CookieJar jar;
  private long saveTimer = -1;
  private Future<Void> saving = Future.succeededFuture();

  /** @param jar the jar every fetcher of the crawl shares ({@link FetchContext#jar}) */
  public CookieVerticle(TrawlConfig.Fetch config, CookieJar jar) {
    this.config = config;
    this.jar = jar;
  }

  /**
   * Starts loading the Public Suffix List on a worker, for a crawl to call as it starts: the list
   * is this verticle's to wait for, and loading it takes longer than anything else before the
   * first fetch, so it should not begin only when this verticle is deployed.
   */
  public static Future<Void> loadSuffixes(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      PublicSuffixes.load();
      return null;
    }, false);
  }

  @Override
  public Future<?> start() {
    return loadSuffixes(vertx)
        .compose(v -> startingCookies())
        .onSuccess(cookies -> {
          jar.load(cookies);
          log.info("cookie jar ready cookies={}", jar.size());
          saveTimer = vertx.setPeriodic(SAVE_EVERY_MS, id -> save());
        });
  }

  @Override
  public Future<?> stop() {
    if (saveTimer >= 0) {
      vertx.cancelTimer(saveTimer);
    }
    return save();
  }

  /** The cookie file's cookies, then the database's. */
  private Future<List<CookieRecord>> startingCookies() {
    long nowMs = System.currentTimeMillis();
    Future<List<CookieRecord>> fromFile = config.cookiesFile().isEmpty() ? Future.succeededFuture(List.of())
        : vertx.executeBlocking(() -> CookieFile.read(config.cookiesFile().get(), nowMs), false);
    return fromFile.compose(file -> vertx.eventBus().<StoredCookies>request(Addresses.STORE_COOKIES_READ, null, STORE)
        .map(reply -> {
          List<CookieRecord> cookies = new ArrayList<>(file);
          cookies.addAll(reply.body().cookies());
          return cookies;
        }));
  }

  /** Hands the jar's changes to the store, one save at a time. */
  private Future<Void> save() {
    saving = saving.transform(ar -> {
      CookieChanges changes = jar.drainChanges();
      if (changes.isEmpty()) {
        return Future.<Void>succeededFuture();
      }
      return vertx.eventBus().request(Addresses.STORE_COOKIES, changes, STORE)
          .onFailure(err -> log.error("cookies not saved: the store failed", err))
          .<Void>mapEmpty();
    });
    return saving;
  }
}
