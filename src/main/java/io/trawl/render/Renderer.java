package io.trawl.render;

import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders pages in a bounded pool of tabs of one browser: at most {@code tabs} pages at once (the
 * rest wait in order), a tab opened only when a page needs one, a tab that timed out or crashed
 * closed and replaced. The browser starts with the first page, and is restarted after {@code
 * recycleAfter} pages (once the pages in hand are done: it bounds what a long-lived browser
 * accumulates) or when it went away (crashed, killed): the pages it had in hand are rendered
 * again by the next one, once; a page that loses its browser twice fails as {@code browser}.
 * Event loop of the verticle that owns it: call it only from there.
 */
public final class Renderer {
  private static final Logger log = LoggerFactory.getLogger(Renderer.class);
  /** Renders of one page that may end with its tab lost before it fails as {@code browser}. */
  private static final int MAX_LOST = 2;
  /** After a browser failed to start, pages fail at once for this long rather than each trying again. */
  private static final long LAUNCH_BACKOFF_NANOS = 5_000_000_000L;

  private final Vertx vertx;
  private final String browserName;
  private final int maxTabs;
  private final int recycleAfter;
  private final RenderOptions options;
  private final Deque<Job> waiting = new ArrayDeque<>();
  private final Deque<RenderTab> idle = new ArrayDeque<>();
  private final Set<RenderTab> tabs = new HashSet<>();
  private Future<Browser> browser;
  private Future<Void> restarting;
  private int busy;
  private int opening;
  private int renderedByBrowser;
  private long launchFailedAtNanos;
  private String launchFailure;
  private boolean closed;
  private long pagesRendered;
  private long browserStarts;
  private long browserLosses;

  private static final class Job {
    final String url;
    final Promise<Rendered> promise = Promise.promise();
    int lost;

    Job(String url) {
      this.url = url;
    }
  }

  /**
   * @param browser {@code render.browser}: an executable to start, or a running browser's DevTools URL
   * @param tabs pages rendered at once at most
   * @param recycleAfter pages after which the browser is restarted; 0 = never
   */
  public Renderer(Vertx vertx, String browser, int tabs, int recycleAfter, RenderOptions options) {
    this.vertx = vertx;
    this.browserName = browser;
    this.maxTabs = Math.max(1, tabs);
    this.recycleAfter = recycleAfter;
    this.options = options;
  }

  /**
   * Renders {@code url}. Fails with a {@link CrawlException} of the page's kind ({@code timeout},
   * {@code too_large}, {@code browser}, the kind of a network error...).
   */
  public Future<Rendered> render(String url) {
    if (closed) {
      return Future.failedFuture(new CrawlException(FailureKind.BROWSER, url, "the renderer is closed"));
    }
    Job job = new Job(url);
    waiting.add(job);
    pump();
    return job.promise.future();
  }

  private void pump() {
    while (!waiting.isEmpty() && !closed) {
      if (restarting != null) {
        return;
      }
      if (browser == null || browser.failed() || browser.succeeded() && browser.result().isGone()) {
        if (busy == 0 && opening == 0) {
          restart(browser != null && browser.succeeded() && !recycleDue() ? "it went away" : null);
        }
        return;
      }
      if (!browser.isComplete()) {
        return;
      }
      if (recycleDue()) {
        if (busy == 0 && opening == 0) {
          restart(null);
        }
        return;
      }
      RenderTab tab = idle.poll();
      if (tab != null && tab.isBroken()) {
        closeTab(tab);
        continue;
      }
      if (tab == null) {
        if (tabs.size() + opening < maxTabs) {
          openTab(browser.result());
        }
        return;
      }
      Job job = waiting.poll();
      busy++;
      renderedByBrowser++;
      tab.render(job.url, options).onComplete(ar -> done(tab, job, ar));
    }
  }

  private boolean recycleDue() {
    return recycleAfter > 0 && renderedByBrowser >= recycleAfter;
  }

  private void openTab(Browser current) {
    opening++;
    RenderTab.open(vertx, current, options).onComplete(ar -> {
      opening--;
      if (ar.succeeded()) {
        tabs.add(ar.result());
        idle.add(ar.result());
      } else if (!current.isGone() && !unanswered(ar.cause()) && !waiting.isEmpty()) {
        // The browser is there but will not give a tab: the first page fails rather than all waiting forever.
        Job job = waiting.poll();
        job.promise.fail(new CrawlException(FailureKind.BROWSER, job.url, "no tab: " + ar.cause().getMessage(), ar.cause()));
      }
      pump();
    });
  }

  private static boolean unanswered(Throwable err) {
    return err instanceof CdpException cdp && cdp.unanswered();
  }

  private void done(RenderTab tab, Job job, AsyncResult<Rendered> ar) {
    busy--;
    if (tab.isBroken()) {
      closeTab(tab);
    } else {
      idle.add(tab);
    }
    if (ar.failed() && ar.cause() instanceof PageRender.TabLost lost) {
      job.lost++;
      if (job.lost < MAX_LOST) {
        log.debug("render retried url={} reason={}", job.url, lost.getMessage());
        waiting.addFirst(job);
      } else {
        job.promise.fail(new CrawlException(FailureKind.BROWSER, job.url, "lost its browser tab " + MAX_LOST
            + " times: " + lost.getMessage(), lost));
      }
    } else {
      if (ar.succeeded()) {
        pagesRendered++;
      }
      job.promise.handle(ar);
    }
    pump();
  }

  private void closeTab(RenderTab tab) {
    tabs.remove(tab);
    idle.remove(tab);
    tab.close();
  }

  /**
   * Closes the browser in place (if any) and starts the next one. {@code why} non-null: the old
   * one went away by itself, which is logged once per loss.
   */
  private void restart(String why) {
    if (why != null) {
      browserLosses++;
      log.warn("browser went away, starting another; the pages it had in hand are rendered again");
    }
    if (launchFailure != null && System.nanoTime() - launchFailedAtNanos < LAUNCH_BACKOFF_NANOS) {
      failWaiting(launchFailure);
      return;
    }
    Future<Void> oldClosed = closeBrowser();
    restarting = oldClosed;
    oldClosed.onComplete(v -> {
      restarting = null;
      if (closed) {
        return;
      }
      renderedByBrowser = 0;
      browserStarts++;
      browser = Browser.isDevToolsUrl(browserName)
          ? Browser.connect(vertx, browserName, maxMessageBytes())
          : Browser.launch(vertx, new Browser.Options(browserName, java.time.Duration.ofSeconds(60), maxMessageBytes()));
      browser.onComplete(ar -> {
        if (ar.failed()) {
          launchFailure = ar.cause().getMessage();
          launchFailedAtNanos = System.nanoTime();
          log.warn("browser did not start: {}", launchFailure);
          failWaiting(launchFailure);
        } else {
          launchFailure = null;
          log.debug("browser started pid={}", ar.result().pid());
        }
        pump();
      });
    });
  }

  /** Largest DevTools message: the DOM at the body cap, JSON-escaped, or a screenshot. */
  private int maxMessageBytes() {
    long dom = 6 * options.maxBodyBytes() + 4096;
    long screenshot = options.screenshotDir() == null ? 0 : 64L << 20;
    return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(dom, screenshot));
  }

  private void failWaiting(String why) {
    Job job;
    while ((job = waiting.poll()) != null) {
      job.promise.fail(new CrawlException(FailureKind.BROWSER, job.url, why));
    }
  }

  private Future<Void> closeBrowser() {
    List<RenderTab> open = new ArrayList<>(tabs);
    tabs.clear();
    idle.clear();
    Future<Browser> old = browser;
    browser = null;
    if (old == null || old.failed()) {
      return Future.succeededFuture();
    }
    return old.compose(b -> Future.join(open.stream().map(RenderTab::close).toList())
        .transform(ar -> b.close()));
  }

  /** Ends the browser; pages still waiting fail as {@code browser}. */
  public Future<Void> close() {
    closed = true;
    failWaiting("the renderer closed");
    Future<Void> pending = restarting != null ? restarting : Future.succeededFuture();
    return pending.transform(ar -> closeBrowser());
  }

  /** Pages rendered so far (to a result, whatever its status). */
  public long pagesRendered() {
    return pagesRendered;
  }

  /** Browsers started (or connected to) so far: the first, restarts after recycling, and after losses. */
  public long browserStarts() {
    return browserStarts;
  }

  /** Browsers that went away by themselves (crashed, killed). */
  public long browserLosses() {
    return browserLosses;
  }

  /** The current browser, if one is running. */
  public Browser browser() {
    return browser != null && browser.succeeded() ? browser.result() : null;
  }

  /** The current browser's processes with their CPU time, as it reports them; empty when none runs. */
  public Future<List<JsonObject>> processes() {
    Browser current = browser();
    return current == null ? Future.succeededFuture(List.of()) : current.processes();
  }
}
