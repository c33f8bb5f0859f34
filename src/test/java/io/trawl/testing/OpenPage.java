package io.trawl.testing;

import io.trawl.render.Browser;
import io.trawl.render.BrowserPage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A page of ours opened in the shared headless Chromium ({@link SharedChromium}), driven from the
 * test's thread: every DevTools call runs on the context that connected, and the test waits for
 * it. Records what the page complained of: {@code console.error} calls, uncaught exceptions, and
 * the browser's own errors (a resource that failed to load, a blocked request).
 */
public final class OpenPage implements AutoCloseable {
  private final Context context;
  private final Browser browser;
  private final BrowserPage page;
  private final List<String> errors = new CopyOnWriteArrayList<>();

  private OpenPage(Context context, Browser browser, BrowserPage page) {
    this.context = context;
    this.browser = browser;
    this.page = page;
  }

  /** Opens {@code url} in a new tab of the shared browser, {@code width} CSS pixels wide, and waits for its load event. */
  public static OpenPage open(Vertx vertx, SharedChromium.Endpoint chromium, String url, int width, int height) {
    Context context = vertx.getOrCreateContext();
    Browser browser = on(context, () -> Browser.connect(vertx, chromium.url(), 32 << 20));
    BrowserPage page = on(context, browser::newPage);
    OpenPage open = new OpenPage(context, browser, page);
    on(context, () -> {
      page.onConsole(call -> {
        if (call.getString("type").equals("error") || call.getString("type").equals("assert")) {
          open.errors.add("console." + call.getString("type") + ": " + call.getJsonArray("args").encode());
        }
      }).onException(details -> open.errors.add("exception: " + details.encode()));
      page.session().on("Log.entryAdded", event -> {
        JsonObject entry = event.getJsonObject("entry");
        if ("error".equals(entry.getString("level"))) {
          open.errors.add("log: " + entry.getString("text") + " " + entry.getString("url", ""));
        }
      });
      return page.session().send("Log.enable")
          .compose(v -> page.session().send("Emulation.setDeviceMetricsOverride", new JsonObject()
              .put("width", width).put("height", height).put("deviceScaleFactor", 1).put("mobile", false)))
          .compose(v -> page.navigate(url));
    });
    return open;
  }

  /** The value of a JavaScript expression (a promise is awaited). */
  public Object evaluate(String expression) {
    return on(context, () -> page.evaluate(expression));
  }

  /** What the page complained of so far. */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  /** A PNG of the whole page, written to {@code file}. */
  public void screenshot(Path file) throws Exception {
    byte[] png = on(context, () -> page.screenshot(true));
    Files.createDirectories(file.getParent());
    Files.write(file, png);
  }

  @Override
  public void close() {
    on(context, () -> page.close().eventually(browser::close));
  }

  /**
   * For each canvas of the page, how many of its pixels are painted (not transparent): a chart
   * that drew something has some.
   */
  public List<Long> paintedPixelsPerCanvas() {
    JsonArray counts = (JsonArray) evaluate(PAINTED_PIXELS_PER_CANVAS);
    return counts.stream().map(n -> ((Number) n).longValue()).toList();
  }

  private static final String PAINTED_PIXELS_PER_CANVAS = """
      Array.from(document.querySelectorAll('canvas')).map(c => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) { n++; } }
        return n;
      })""";

  private static <T> T on(Context context, Supplier<Future<T>> work) {
    return Await.result(Future.<T>future(p -> context.runOnContext(v -> work.get().onComplete(p))));
  }
}
