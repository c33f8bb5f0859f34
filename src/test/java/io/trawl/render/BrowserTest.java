package io.trawl.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.testing.Await;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.SharedChromium;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The DevTools client against a real headless Chromium: the shared one (connected to), or one of
 * the test's own where the test ends it.
 */
@ExtendWith({VertxExtension.class, SharedChromium.class})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrowserTest {
  private static final String APP = """
      <!DOCTYPE html><html><head><title>app</title></head><body><div id="app"></div>
      <script>
        console.error('starting', 42);
        fetch('/data.json').then(r => r.json()).then(d => {
          document.getElementById('app').innerHTML =
            d.items.map(i => '<p class="item"><a href="/item/' + i + '">item ' + i + '</a></p>').join('');
        });
        setTimeout(() => { throw new Error('late trouble'); }, 0);
      </script></body></html>""";

  @Test
  void readsThePageItsScriptBuiltFromAJsonEndpoint(Vertx vertx, SharedChromium.Endpoint chromium) {
    ScriptedSite site = new ScriptedSite(vertx).start()
        .page("/app", APP)
        .text("/data.json", "application/json", "{\"items\": [1, 2, 3]}");

    Object html = onContext(vertx, () -> Browser.connect(vertx, chromium.url(), 1 << 20)
        .compose(browser -> browser.newPage()
            .compose(page -> page.navigate(site.url("/app"))
                .compose(v -> page.evaluate("""
                    new Promise(done => { const check = () => document.querySelectorAll('.item').length === 3
                      ? done(document.documentElement.outerHTML) : setTimeout(check, 10); check(); })"""))
                .eventually(page::close))
            .eventually(browser::close)));

    assertThat((String) html).contains("<a href=\"/item/1\">item 1</a>", "<a href=\"/item/3\">item 3</a>");
    assertThat(site.count("/data.json")).isEqualTo(1);
  }

  @Test
  void hearsConsoleCallsAndUncaughtExceptions(Vertx vertx, SharedChromium.Endpoint chromium) {
    ScriptedSite site = new ScriptedSite(vertx).start()
        .page("/app", APP)
        .text("/data.json", "application/json", "{\"items\": []}");
    List<JsonObject> console = new CopyOnWriteArrayList<>();
    List<JsonObject> exceptions = new CopyOnWriteArrayList<>();

    onContext(vertx, () -> Browser.connect(vertx, chromium.url(), 1 << 20)
        .compose(browser -> browser.newPage()
            .compose(page -> page.onConsole(console::add).onException(exceptions::add)
                .navigate(site.url("/app"))
                .compose(v -> page.evaluate("new Promise(done => setTimeout(done, 50))"))
                .eventually(page::close))
            .eventually(browser::close)));

    assertThat(console).extracting(c -> c.getString("type")).containsExactly("error");
    assertThat(console.get(0).getJsonArray("args").getJsonObject(1).getInteger("value")).isEqualTo(42);
    assertThat(exceptions).hasSize(1);
    assertThat(exceptions.get(0).getJsonObject("exception").getString("description")).contains("late trouble");
  }

  @Test
  void takesAPngOfTheWholePage(Vertx vertx, SharedChromium.Endpoint chromium) {
    ScriptedSite site = new ScriptedSite(vertx).start()
        .page("/tall", "<body style='margin:0'><div style='height:3000px;background:#c00'>tall</div></body>");

    byte[] png = onContext(vertx, () -> Browser.connect(vertx, chromium.url(), 16 << 20)
        .compose(browser -> browser.newPage()
            .compose(page -> page.navigate(site.url("/tall"))
                .compose(v -> page.screenshot(true))
                .eventually(page::close))
            .eventually(browser::close)));

    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    int height = (png[20] & 0xff) << 24 | (png[21] & 0xff) << 16 | (png[22] & 0xff) << 8 | png[23] & 0xff;
    assertThat(height).as("IHDR height").isEqualTo(3000);
  }

  @Test
  void aThrowingExpressionFailsWithItsMessage(Vertx vertx, SharedChromium.Endpoint chromium) {
    Throwable failure = onContextFailure(vertx, () -> Browser.connect(vertx, chromium.url(), 1 << 20)
        .compose(browser -> browser.newPage()
            .compose(page -> page.evaluate("(() => { throw new TypeError('no such thing'); })()")
                .eventually(page::close))
            .eventually(browser::close)));

    assertThat(failure).isInstanceOf(CdpException.class).hasMessageContaining("no such thing");
  }

  @Test
  void aKilledBrowserIsGoneAndItsCommandsFailUnanswered(Vertx vertx) throws Exception {
    Context context = vertx.getOrCreateContext();
    Browser browser = Await.result(Future.<Browser>future(p -> context.runOnContext(v ->
        Browser.launch(vertx, Browser.Options.of(Chromium.AUTO)).onComplete(p))));
    BrowserPage page = Await.result(Future.<BrowserPage>future(p -> context.runOnContext(v -> browser.newPage().onComplete(p))));
    ProcessHandle process = ProcessHandle.of(browser.pid()).orElseThrow();
    assertThat(process.info().command().orElse("")).contains("chromium");

    process.destroyForcibly();
    Await.result(browser.gone());
    Throwable failure = Await.result(Future.<Throwable>future(p -> context.runOnContext(v ->
        page.evaluate("1 + 1").onComplete(ar -> p.complete(ar.cause())))));
    Await.result(Future.<Void>future(p -> context.runOnContext(v -> browser.close().onComplete(p))));

    assertThat(failure).isInstanceOf(CdpException.class);
    assertThat(((CdpException) failure).unanswered()).isTrue();
  }

  @Test
  void closingOurBrowserEndsItsProcessesAndDeletesItsProfile(Vertx vertx) {
    Context context = vertx.getOrCreateContext();
    Browser browser = Await.result(Future.<Browser>future(p -> context.runOnContext(v ->
        Browser.launch(vertx, Browser.Options.of(Chromium.AUTO)).onComplete(p))));
    Await.result(Future.<BrowserPage>future(p -> context.runOnContext(v -> browser.newPage().onComplete(p))));
    ProcessHandle process = ProcessHandle.of(browser.pid()).orElseThrow();
    List<ProcessHandle> helpers = process.descendants().toList();
    Path profile = Path.of(process.info().arguments().map(List::of).orElse(List.of()).stream()
        .filter(a -> a.startsWith("--user-data-dir=")).findFirst().orElseThrow().substring("--user-data-dir=".length()));

    Await.result(Future.<Void>future(p -> context.runOnContext(v -> browser.close().onComplete(p))));

    assertThat(process.isAlive()).isFalse();
    assertThat(helpers).isNotEmpty().noneMatch(ProcessHandle::isAlive);
    assertThat(Files.exists(profile.getParent())).isFalse();
  }

  @Test
  void refusesAMissingExecutableNamingIt(Vertx vertx) {
    Throwable failure = onContextFailure(vertx, () ->
        Browser.launch(vertx, Browser.Options.of("/nonexistent/chromium")));

    assertThat(failure).isInstanceOf(BrowserException.class).hasMessageContaining("/nonexistent/chromium");
  }

  /** The future {@code work} makes, started on a context of {@code vertx}, awaited from the test thread. */
  private static <T> T onContext(Vertx vertx, Supplier<Future<T>> work) {
    Context context = vertx.getOrCreateContext();
    return Await.result(Future.<T>future(p -> context.runOnContext(v -> work.get().onComplete(p))));
  }

  private static Throwable onContextFailure(Vertx vertx, Supplier<Future<?>> work) {
    Context context = vertx.getOrCreateContext();
    return Await.result(Future.<Throwable>future(p -> context.runOnContext(v ->
        work.get().onComplete(ar -> p.complete(ar.failed() ? ar.cause() : null)))));
  }
}
