package io.trawl.fetch;

import io.trawl.bus.Addresses;
import io.trawl.bus.FetchOutcome;
import io.trawl.bus.FetchRequest;
import io.trawl.bus.FetchedPage;
import io.trawl.bus.PageRecord;
import io.trawl.bus.PageStored;
import io.trawl.bus.Replies;
import io.trawl.config.TrawlConfig;
import io.trawl.core.FailureKind;
import io.trawl.core.Scope;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer of {@link Addresses#FETCH}: fetches one URL, sends HTML on to the parser and
 * anything else (other content types, HTTP errors, failures) straight to the store, and answers
 * the frontier with the {@link FetchOutcome} once the page is stored. Event loop; the HTTP work is
 * {@link HttpFetcher}'s.
 */
public final class FetchVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(FetchVerticle.class);
  private static final DeliveryOptions DOWNSTREAM = new DeliveryOptions().setSendTimeout(120_000);

  private final TrawlConfig config;
  private final Scope scope;
  private HttpFetcher fetcher;

  public FetchVerticle(TrawlConfig config, Scope scope) {
    this.config = config;
    this.scope = scope;
  }

  @Override
  public Future<?> start() {
    fetcher = new HttpFetcher(vertx, config.fetch());
    return vertx.eventBus().<JsonObject>consumer(Addresses.FETCH, this::onFetchRequest).completion();
  }

  @Override
  public Future<?> stop() {
    fetcher.close();
    return Future.succeededFuture();
  }

  private void onFetchRequest(Message<JsonObject> msg) {
    FetchRequest request = FetchRequest.fromJson(msg.body());
    int attempts = request.attempts() + 1;
    long startedMs = System.currentTimeMillis();
    fetcher.fetch(request.url(), scope::allows)
        .compose(result -> route(request, result, attempts))
        .recover(err -> storeFailure(request, err, attempts, startedMs))
        .onSuccess(outcome -> msg.reply(outcome.toJson()))
        .onFailure(err -> Replies.fail(msg, Replies.kindOf(err), String.valueOf(err.getMessage())));
  }

  private Future<FetchOutcome> route(FetchRequest request, FetchResult result, int attempts) {
    long now = System.currentTimeMillis();
    if (isHtml(result.contentType()) && result.status() >= 200 && result.status() < 300) {
      FetchedPage page = new FetchedPage(request, result.finalUrl(), result.status(), result.contentType(),
          result.body(), now, result.elapsedMs(), attempts);
      return vertx.eventBus().<JsonObject>request(Addresses.PARSE, page.toJson(), DOWNSTREAM)
          .map(reply -> outcome(request, null, attempts, PageStored.fromJson(reply.body())));
    }
    String error = result.status() >= 400 ? FailureKind.http(result.status()).code() : null;
    PageRecord record = new PageRecord(request.id(), request.url(), result.finalUrl(), result.status(),
        result.contentType(), request.depth(), null, now, result.elapsedMs(), result.body().length,
        null, attempts, error, List.of(), List.of(), new JsonArray());
    return store(record).map(stored -> outcome(request, error, attempts, stored));
  }

  private Future<FetchOutcome> storeFailure(FetchRequest request, Throwable err, int attempts, long startedMs) {
    FailureKind kind = Replies.kindOf(err);
    if (kind.equals(FailureKind.STORE)) {
      return Future.failedFuture(err);
    }
    log.debug("fetch failed url={} kind={} attempt={}", request.url(), kind.code(), attempts);
    long now = System.currentTimeMillis();
    PageRecord record = PageRecord.failure(request, kind.code(), attempts, now, now - startedMs);
    return store(record).map(stored -> outcome(request, kind.code(), attempts, stored));
  }

  private Future<PageStored> store(PageRecord record) {
    return vertx.eventBus().<JsonObject>request(Addresses.STORE_PAGE, record.toJson(), DOWNSTREAM)
        .map(reply -> PageStored.fromJson(reply.body()));
  }

  private static FetchOutcome outcome(FetchRequest request, String error, int attempts, PageStored stored) {
    return new FetchOutcome(request.id(), error, 0, attempts, stored.newUrls());
  }

  static boolean isHtml(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    return type.startsWith("text/html") || type.startsWith("application/xhtml+xml");
  }
}
