package io.trawl.fetch;

import io.trawl.bus.Addresses;
import io.trawl.bus.Delivery;
import io.trawl.bus.RenderRequest;
import io.trawl.bus.RenderedPage;
import io.trawl.bus.Replies;
import io.trawl.config.TrawlConfig;
import io.trawl.core.CrawlException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.util.function.Supplier;

/**
 * One page fetched through the browser: asks the render stage ({@link Addresses#RENDER}) and
 * makes a {@link FetchResult} of its answer, whose body is the page's DOM. A document that turns
 * out not to be HTML (a PDF, an image) was not rendered: it is fetched plainly instead, so that it
 * is downloaded or stored as any other. A failure comes back as a {@link CrawlException} of its
 * kind, which the retry and the host's breaker judge as a plain fetch's. Event loop.
 */
final class BrowserFetch {
  private final EventBus bus;
  private final DeliveryOptions delivery;

  BrowserFetch(EventBus bus, TrawlConfig config) {
    this.bus = bus;
    this.delivery = Delivery.local(config.render().longestTryMs(config.fetch().concurrency()));
  }

  /**
   * @param why the {@code pages.rendered} word of the page
   * @param plainly the plain fetch of the same URL, for a document that is not HTML
   */
  Future<FetchResult> fetch(String url, String why, Supplier<Future<FetchResult>> plainly) {
    return bus.<RenderedPage>request(Addresses.RENDER, new RenderRequest(url), delivery)
        .map(Message::body)
        .recover(err -> Future.failedFuture(err instanceof CrawlException ? err
            : new CrawlException(Replies.kindOf(err), url, err.getMessage(), err)))
        .compose(page -> page.html() || page.status() >= 300
            ? Future.succeededFuture(result(url, page, why))
            : plainly.get());
  }

  private static FetchResult result(String url, RenderedPage page, String why) {
    return new FetchResult(url, page.finalUrl(), page.status(), page.contentType(), page.body(), page.elapsedMs(), 0,
        page.retryAfter(), null, why, page.screenshot());
  }
}
