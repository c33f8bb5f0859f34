package io.trawl.render;

import io.trawl.bus.Addresses;
import io.trawl.bus.DownloadedFile;
import io.trawl.bus.RenderRequest;
import io.trawl.bus.RenderedPage;
import io.trawl.bus.Replies;
import io.trawl.config.TrawlConfig;
import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;
import io.trawl.core.Scope;
import io.trawl.metrics.CrawlMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of {@link Addresses#RENDER}: renders a page in headless Chromium ({@link Renderer}:
 * the browser and its bounded pool of tabs) and answers with the DOM, saving the page's
 * screenshot first when {@code render.screenshot} asks for one. One instance per crawl, so one
 * browser. Event loop; the browser process's own work is on worker threads.
 */
public final class RenderVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(RenderVerticle.class);

  private final TrawlConfig config;
  private final Scope scope;
  private final PageRequests requests;
  private final CrawlMetrics metrics;
  private Renderer renderer;
  private Screenshots screenshots;

  /** A render stage whose pages' requests go out as the browser makes them. */
  public RenderVerticle(TrawlConfig config, Scope scope) {
    this(config, scope, PageRequests.NONE, CrawlMetrics.OFF);
  }

  /**
   * @param requests the headers and cookies of the pages' requests, as a plain fetch's
   * @param metrics where its browsers' starts and losses are counted
   */
  public RenderVerticle(TrawlConfig config, Scope scope, PageRequests requests, CrawlMetrics metrics) {
    this.config = config;
    this.scope = scope;
    this.requests = requests;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    TrawlConfig.Render render = config.render();
    renderer = new Renderer(vertx, render.browser(), render.tabs(), render.recycleAfter(),
        RenderOptions.of(config, scope::allows, requests), metrics);
    screenshots = render.screenshot() ? new Screenshots(vertx, config.download().dir()) : null;
    return vertx.eventBus().<RenderRequest>localConsumer(Addresses.RENDER, this::onRender).completion();
  }

  @Override
  public Future<?> stop() {
    log.debug("renderer closing pages={} browsers={} lost={}", renderer.pagesRendered(), renderer.browserStarts(),
        renderer.browserLosses());
    return renderer.close();
  }

  private void onRender(Message<RenderRequest> msg) {
    String url = msg.body().url();
    renderer.render(url)
        .compose(page -> saved(url, page))
        .onSuccess(msg::reply)
        .onFailure(err -> Replies.fail(msg, Replies.kindOf(err), String.valueOf(err.getMessage())));
  }

  private Future<RenderedPage> saved(String url, Rendered page) {
    Future<DownloadedFile> screenshot = page.screenshot() == null || screenshots == null
        ? Future.succeededFuture()
        : screenshots.save(page.screenshot())
            .recover(err -> Future.failedFuture(
                new CrawlException(FailureKind.FILE, url, "saving its screenshot: " + err.getMessage(), err)));
    return screenshot.map(file -> new RenderedPage(page.finalUrl(), page.status(), page.contentType(), page.html(),
        page.isHtml(), page.elapsedMs(), page.retryAfter(), file));
  }

  /** The renderer, for tests that look at its browser. */
  Renderer renderer() {
    return renderer;
  }
}
