package io.trawl.render;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.Base64;

/**
 * One tab of a {@link Browser}, in a browser context of its own, and its DevTools session. The
 * plain uses are here ({@link #navigate}, {@link #evaluate}, {@link #screenshot}, console messages
 * and uncaught exceptions); the crawler's rendering drives the {@link #session()} itself. Event
 * loop of its browser.
 */
public final class BrowserPage {
  /** Frames drawn at most for one screenshot: the first may come back without a picture. */
  private static final int DRAW_TRIES = 3;
  private final Browser browser;
  private final CdpSession session;
  private final String targetId;
  private final String contextId;
  /** Where this tab's frames come from when the browser leaves them to us; else null. */
  private final FrameClock frames;
  private Future<Void> enabled;
  private Promise<Void> loading;

  /** A tab of {@code browser}; one whose frames come from {@code frames} (null: the browser's own) gets them from now on. */
  BrowserPage(Browser browser, CdpSession session, String targetId, String contextId, FrameClock frames) {
    this.browser = browser;
    this.session = session;
    this.targetId = targetId;
    this.contextId = contextId;
    this.frames = frames;
    if (frames != null) {
      frames.resume(session);
    }
  }

  public CdpSession session() {
    return session;
  }

  public Browser browser() {
    return browser;
  }

  public String targetId() {
    return targetId;
  }

  /**
   * Loads {@code url} and completes once its {@code load} event has fired; fails with a {@link
   * CdpException} when the navigation does (its {@code errorText}, e.g. {@code
   * net::ERR_CONNECTION_REFUSED}). No deadline of its own: bound it with a timer.
   */
  public Future<Void> navigate(String url) {
    Promise<Void> loaded = Promise.promise();
    loading = loaded;
    return enable()
        .compose(v -> session.send("Page.navigate", new JsonObject().put("url", url)))
        .compose(result -> {
          String error = result.getString("errorText");
          if (error != null && !error.isEmpty()) {
            return Future.failedFuture(new CdpException("Page.navigate", CdpException.NO_ANSWER, error + " at " + url));
          }
          return loaded.future();
        });
  }

  /**
   * The value of the JavaScript {@code expression} (a promise is awaited), as JSON can carry it
   * (a string, number, boolean, map or list; null for undefined). Fails with a {@link
   * CdpException} when the expression throws.
   */
  public Future<Object> evaluate(String expression) {
    JsonObject params = new JsonObject()
        .put("expression", expression)
        .put("returnByValue", true)
        .put("awaitPromise", true);
    return session.send("Runtime.evaluate", params).compose(BrowserPage::valueOf);
  }

  static Future<Object> valueOf(JsonObject result) {
    JsonObject thrown = result.getJsonObject("exceptionDetails");
    if (thrown != null) {
      JsonObject exception = thrown.getJsonObject("exception", new JsonObject());
      return Future.failedFuture(new CdpException("Runtime.evaluate", CdpException.NO_ANSWER,
          exception.getString("description", thrown.getString("text", "an exception"))));
    }
    return Future.succeededFuture(result.getJsonObject("result", new JsonObject()).getValue("value"));
  }

  /**
   * Whether this tab gets frames while nothing is asked of it (the default). A tab whose frames
   * come from us ({@link FrameClock}) and that waits for its next page need not: a page's
   * animation frames and observers run only while it has frames. No effect on other tabs.
   */
  void frames(boolean running) {
    if (frames == null) {
      return;
    }
    if (running) {
      frames.resume(session);
    } else {
      frames.pause(session);
    }
  }

  /** A PNG of the viewport, or of the whole page ({@code fullPage}, at most 16,384 CSS pixels high). */
  public Future<byte[]> screenshot(boolean fullPage) {
    return frames == null ? capture(fullPage) : draw(fullPage);
  }

  /** {@link #screenshot} by {@code Page.captureScreenshot}, in a tab whose frames come from the browser. */
  private Future<byte[]> capture(boolean fullPage) {
    Future<JsonObject> params = !fullPage ? Future.succeededFuture(new JsonObject().put("format", "png"))
        : session.send("Page.getLayoutMetrics").map(metrics -> {
          JsonObject size = metrics.getJsonObject("cssContentSize", metrics.getJsonObject("contentSize"));
          double width = Math.max(1, Math.min(size.getDouble("width"), 16_384));
          double height = Math.max(1, Math.min(size.getDouble("height"), 16_384));
          return new JsonObject()
              .put("format", "png")
              .put("captureBeyondViewport", true)
              .put("clip", new JsonObject().put("x", 0).put("y", 0).put("width", width).put("height", height)
                  .put("scale", 1));
        });
    return params
        .compose(p -> session.send("Page.captureScreenshot", p))
        .map(result -> Base64.getDecoder().decode(result.getString("data")));
  }

  /**
   * {@link #screenshot} in a tab whose frames come from us: one frame drawn, with its picture
   * ({@code Page.captureScreenshot} would wait for a frame that never comes). The whole page is
   * drawn in a viewport made as tall as the page for that frame, as wide as the page's own.
   */
  private Future<byte[]> draw(boolean fullPage) {
    if (!fullPage) {
      return drawn(DRAW_TRIES);
    }
    return session.send("Page.getLayoutMetrics").compose(metrics -> {
      JsonObject size = metrics.getJsonObject("cssContentSize", metrics.getJsonObject("contentSize"));
      JsonObject viewport = metrics.getJsonObject("cssLayoutViewport", metrics.getJsonObject("layoutViewport"));
      long width = Math.max(1, Math.min(Math.round(viewport.getDouble("clientWidth")), 16_384));
      long height = Math.max(1, Math.min(Math.round(size.getDouble("height")), 16_384));
      return session.send("Emulation.setDeviceMetricsOverride", new JsonObject()
              .put("width", width).put("height", height).put("deviceScaleFactor", 1).put("mobile", false))
          .compose(v -> drawn(DRAW_TRIES))
          .eventually(() -> session.send("Emulation.clearDeviceMetricsOverride"));
    });
  }

  /** The picture of the next frame drawn; the browser may draw none (a renderer still starting): tried {@code tries} times. */
  private Future<byte[]> drawn(int tries) {
    JsonObject params = new JsonObject()
        .put("interval", FrameClock.FRAME_MS)
        .put("screenshot", new JsonObject().put("format", "png"));
    return frames.frame(session, params).compose(frame -> {
      String data = frame.getString("screenshotData");
      if (data != null) {
        return Future.succeededFuture(Base64.getDecoder().decode(data));
      }
      return tries > 1 ? drawn(tries - 1)
          : Future.failedFuture(new CdpException("HeadlessExperimental.beginFrame", 0, "the browser drew no picture"));
    });
  }

  /**
   * Calls {@code handler} with each {@code console.*} call of the page ({@code
   * Runtime.consoleAPICalled}: its {@code type}, such as {@code error}, and its {@code args}).
   * Call before {@link #navigate} to hear everything.
   */
  public BrowserPage onConsole(Handler<JsonObject> handler) {
    session.on("Runtime.consoleAPICalled", handler);
    return this;
  }

  /** Calls {@code handler} with each uncaught exception of the page ({@code Runtime.exceptionThrown}'s {@code exceptionDetails}). */
  public BrowserPage onException(Handler<JsonObject> handler) {
    session.on("Runtime.exceptionThrown", params -> handler.handle(params.getJsonObject("exceptionDetails")));
    return this;
  }

  /** Enables the Page and Runtime domains once, so their events arrive. */
  private Future<Void> enable() {
    if (enabled == null) {
      session.on("Page.loadEventFired", params -> {
        if (loading != null) {
          loading.tryComplete();
        }
      });
      enabled = session.send("Page.enable").compose(v -> session.send("Runtime.enable")).mapEmpty();
    }
    return enabled;
  }

  /** Closes the tab and disposes of its browser context. Never fails. */
  public Future<Void> close() {
    CdpSession root = browser.devtools().browser();
    Future<Void> framesDone = frames == null ? Future.succeededFuture() : frames.remove(session);
    return framesDone
        .transform(ar -> root.send("Target.closeTarget", new JsonObject().put("targetId", targetId)))
        .transform(ar -> root.send("Target.disposeBrowserContext", new JsonObject().put("browserContextId", contextId)))
        .transform(ar -> Future.succeededFuture());
  }
}
