package io.trawl.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;
import io.trawl.testing.Await;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.SharedChromium;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.junit5.VertxExtension;

/** The tab pool and the page render against the shared headless Chromium and a local site. */
@ExtendWith({VertxExtension.class, SharedChromium.class})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RendererTest {
  private static final Set<String> DEFAULT_BLOCK = Set.of("image", "font", "media", "stylesheet");

  /** Text and links that exist only once the script has fetched them from the JSON endpoint. */
  static final String APP = """
      <!DOCTYPE html><html><head><title>app</title></head><body><ul id="items"></ul>
      <script>
        fetch('/api/items.json').then(r => r.json()).then(items => {
          document.getElementById('items').innerHTML = items.map(i =>
            '<li class="item"><a href="/item/' + i.id + '">' + i.name + '</a></li>').join('');
        });
      </script></body></html>""";
  static final String ITEMS = "[{\"id\": 1, \"name\": \"one\"}, {\"id\": 2, \"name\": \"two\"}]";

  @Test
  void readsTheDomTheScriptBuiltFromTheJsonEndpoint(Vertx vertx, SharedChromium.Endpoint chromium) {
    ScriptedSite site = app(vertx);
    Context context = vertx.getOrCreateContext();
    Renderer renderer = new Renderer(vertx, chromium.url(), 2, 0, options("network_idle"));

    Rendered page = Await.on(context, () -> renderer.render(site.url("/app")).eventually(renderer::close));

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.isHtml()).isTrue();
    assertThat(page.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(page.finalUrl()).isEqualTo(site.url("/app"));
    assertThat(html(page)).contains("<a href=\"/item/1\">one</a>", "<a href=\"/item/2\">two</a>");
    assertThat(site.count("/api/items.json")).isEqualTo(1);
  }

  @Test
  void waitsForTheSelectorAndReadsTooEarlyWithoutIt(Vertx vertx, SharedChromium.Endpoint chromium) {
    ScriptedSite site = new ScriptedSite(vertx).start().page("/late", """
        <body><script>setTimeout(() => {
          document.body.insertAdjacentHTML('beforeend', '<p class="' + 'late">here</p>'); }, 400);</script></body>""");
    Context context = vertx.getOrCreateContext();
    Renderer waiting = new Renderer(vertx, chromium.url(), 1, 0, options("p.late"));
    Renderer notWaiting = new Renderer(vertx, chromium.url(), 1, 0, options("load"));

    Rendered waited = Await.on(context, () -> waiting.render(site.url("/late")).eventually(waiting::close));
    Rendered early = Await.on(context, () -> notWaiting.render(site.url("/late")).eventually(notWaiting::close));

    assertThat(html(waited)).contains("<p class=\"late\">here</p>");
    assertThat(html(early)).doesNotContain("<p class=\"late\">here</p>");
  }

  @Test
  void waitsForTheNetworkToBeIdleOrAFixedDelay(Vertx vertx, SharedChromium.Endpoint chromium) {
    ScriptedSite site = new ScriptedSite(vertx).start()
        .page("/slow-data", """
            <body><div id="out"></div><script>
              window.addEventListener('load', () => setTimeout(() => fetch('/data')
                .then(r => r.text()).then(t => document.getElementById('out').textContent = t), 100));
            </script></body>""")
        .text("/data", "text/plain", "fetched after load");
    Context context = vertx.getOrCreateContext();
    Renderer idle = new Renderer(vertx, chromium.url(), 1, 0, options("network_idle"));
    Renderer delay = new Renderer(vertx, chromium.url(), 1, 0, options("1s"));

    Rendered afterIdle = Await.on(context, () -> idle.render(site.url("/slow-data")).eventually(idle::close));
    Rendered afterDelay = Await.on(context, () -> delay.render(site.url("/slow-data")).eventually(delay::close));

    assertThat(html(afterIdle)).contains("fetched after load");
    assertThat(html(afterDelay)).contains("fetched after load");
    assertThat(afterDelay.elapsedMs()).isGreaterThanOrEqualTo(1000);
  }

  @Test
  void blockedResourceTypesAreNeverRequested(Vertx vertx, SharedChromium.Endpoint chromium) {
    ScriptedSite site = new ScriptedSite(vertx).start()
        .page("/heavy", """
            <html><head><link rel="stylesheet" href="/r/style.css">
            <style>@font-face { font-family: F; src: url('/r/font.woff2'); } body { font-family: F; }</style>
            <script src="/r/app.js"></script></head>
            <body><p>text</p><img src="/r/picture.png"><video src="/r/movie.mp4" autoplay></video>
            <audio src="/r/sound.mp3" autoplay></audio><div style="background: url('/r/bg.png')">x</div></body></html>""")
        .text("/r/app.js", "text/javascript", "document.title = 'script ran';")
        .text("/r/style.css", "text/css", "p { color: red }");
    Context context = vertx.getOrCreateContext();
    Renderer renderer = new Renderer(vertx, chromium.url(), 1, 0, options("network_idle"));

    Rendered page = Await.on(context, () -> renderer.render(site.url("/heavy")).eventually(renderer::close));

    assertThat(html(page)).contains("<title>script ran</title>");
    List<String> paths = site.hits().stream().map(ScriptedSite.Hit::path).toList();
    assertThat(paths).contains("/heavy", "/r/app.js")
        .doesNotContain("/r/style.css", "/r/font.woff2", "/r/picture.png", "/r/movie.mp4", "/r/sound.mp3", "/r/bg.png",
            "/favicon.ico");
  }

  @Test
  void requestsOutOfScopeAreNeverMade(Vertx vertx, SharedChromium.Endpoint chromium) {
    ScriptedSite site = new ScriptedSite(vertx).start()
        .page("/page", """
            <body><script src="/outside/tracker.js"></script>
            <script>fetch('/outside/beacon').catch(() => document.title = 'refused');</script></body>""")
        .text("/outside/tracker.js", "text/javascript", "document.title = 'tracked';");
    Context context = vertx.getOrCreateContext();
    Renderer renderer = new Renderer(vertx, chromium.url(), 1, 0,
        options("network_idle", url -> !url.contains("/outside/")));

    Rendered page = Await.on(context, () -> renderer.render(site.url("/page")).eventually(renderer::close));

    assertThat(html(page)).contains("<title>refused</title>");
    assertThat(site.count("/outside/tracker.js")).isZero();
    assertThat(site.count("/outside/beacon")).isZero();
  }

  @Test
  void aScriptThatNeverEndsFailsAsTimeoutAndTheNextPageRenders(Vertx vertx) {
    // A browser of its own, which takes its tabs' frames from trawl where it is the headless shell
    // (FrameClock): the spinning page holds every tab's frames until its tab closes, and the next
    // page waits for frames.
    ScriptedSite site = app(vertx).page("/spin", "<body><p>spinning</p><script>requestAnimationFrame(() => { while (true) {} })</script></body>")
        .page("/frames", ChromiumTest.FRAMES);
    Context context = vertx.getOrCreateContext();
    Renderer renderer = new Renderer(vertx, Chromium.AUTO, 1, 0, options("li.item", 5_000));

    Throwable failure = Await.failureOn(context, () -> renderer.render(site.url("/spin")));
    Rendered next = Await.on(context, () -> renderer.render(site.url("/frames")).eventually(renderer::close));

    assertThat(FailureKind.of(failure)).isEqualTo(FailureKind.TIMEOUT);
    assertThat(html(next)).contains(">two</a>");
  }

  @Test
  void anErrorStatusOrAFileEndsThePageAtItsResponse(Vertx vertx, SharedChromium.Endpoint chromium) {
    ScriptedSite site = new ScriptedSite(vertx).start()
        .status("/gone", 404)
        .route("/busy", req -> req.response().setStatusCode(503).putHeader("retry-after", "7")
            .putHeader("content-type", "text/html").end("<p>later</p>"))
        .text("/report.pdf", "application/pdf", "%PDF-1.4 not really");
    Context context = vertx.getOrCreateContext();
    Renderer renderer = new Renderer(vertx, chromium.url(), 1, 0, options("load"));

    Rendered gone = Await.on(context, () -> renderer.render(site.url("/gone")));
    Rendered busy = Await.on(context, () -> renderer.render(site.url("/busy")));
    Rendered pdf = Await.on(context, () -> renderer.render(site.url("/report.pdf")).eventually(renderer::close));

    assertThat(gone.status()).isEqualTo(404);
    assertThat(busy.status()).isEqualTo(503);
    assertThat(busy.retryAfter()).isEqualTo("7");
    assertThat(pdf.isHtml()).isFalse();
    assertThat(pdf.status()).isEqualTo(200);
    assertThat(pdf.contentType()).isEqualTo("application/pdf");
  }

  @Test
  void followsRedirectsInScopeAndRefusesOneOutOfIt(Vertx vertx, SharedChromium.Endpoint chromium) {
    ScriptedSite site = app(vertx)
        .route("/old", req -> req.response().setStatusCode(301).putHeader("location", "/app").end())
        .route("/away", req -> req.response().setStatusCode(302).putHeader("location", "/outside/x").end())
        .route("/loop", req -> req.response().setStatusCode(302).putHeader("location", "/loop2").end())
        .route("/loop2", req -> req.response().setStatusCode(302).putHeader("location", "/loop").end());
    Context context = vertx.getOrCreateContext();
    Renderer renderer = new Renderer(vertx, chromium.url(), 1, 0,
        options("network_idle", url -> !url.contains("/outside/")));

    Rendered moved = Await.on(context, () -> renderer.render(site.url("/old")));
    Throwable away = Await.failureOn(context, () -> renderer.render(site.url("/away")));
    Throwable loop = Await.failureOn(context, () -> renderer.render(site.url("/loop")).eventually(renderer::close));

    assertThat(moved.finalUrl()).isEqualTo(site.url("/app"));
    assertThat(moved.redirects()).isEqualTo(1);
    assertThat(html(moved)).contains(">one</a>");
    assertThat(FailureKind.of(away)).isEqualTo(FailureKind.REDIRECT_OUT_OF_SCOPE);
    assertThat(site.count("/outside/x")).isZero();
    assertThat(FailureKind.of(loop)).isIn(FailureKind.REDIRECT_LOOP, FailureKind.TOO_MANY_REDIRECTS);
  }

  @Test
  void aResponseOverTheBodyCapFailsThePageAsTooLarge(Vertx vertx, SharedChromium.Endpoint chromium) {
    String big = "x".repeat(300_000);
    ScriptedSite site = new ScriptedSite(vertx).start()
        .page("/fetches-big", "<body><script>fetch('/big').then(r => r.text())</script></body>")
        .route("/big", req -> req.response().setChunked(true).putHeader("content-type", "text/plain").end(big))
        .page("/big-dom", "<body><script>document.body.textContent = 'y'.repeat(300000);</script></body>");
    Context context = vertx.getOrCreateContext();
    RenderOptions capped = new RenderOptions(RenderOptions.Wait.of("network_idle"), 20_000, DEFAULT_BLOCK, 100_000, 5,
        "trawl-test", null, url -> true);
    Renderer renderer = new Renderer(vertx, chromium.url(), 1, 0, capped);

    Throwable byResponse = Await.failureOn(context, () -> renderer.render(site.url("/fetches-big")));
    Throwable byDom = Await.failureOn(context, () -> renderer.render(site.url("/big-dom")).eventually(renderer::close));

    assertThat(FailureKind.of(byResponse)).isEqualTo(FailureKind.TOO_LARGE);
    assertThat(FailureKind.of(byDom)).isEqualTo(FailureKind.TOO_LARGE);
  }

  @Test
  void aNavigationErrorFailsWithThePlainFetchKind(Vertx vertx, SharedChromium.Endpoint chromium) throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Context context = vertx.getOrCreateContext();
    Renderer renderer = new Renderer(vertx, chromium.url(), 1, 0, options("load"));

    Throwable refused = Await.failureOn(context,
        () -> renderer.render("http://127.0.0.1:" + closedPort + "/x").eventually(renderer::close));

    assertThat(refused).isInstanceOf(CrawlException.class);
    assertThat(FailureKind.of(refused)).isEqualTo(FailureKind.CONNECT);
  }

  @Test
  void screenshotsThePageWhenAsked(Vertx vertx, SharedChromium.Endpoint chromium) {
    ScriptedSite site = app(vertx);
    Context context = vertx.getOrCreateContext();
    RenderOptions withScreenshots = new RenderOptions(RenderOptions.Wait.of("network_idle"), 20_000, DEFAULT_BLOCK,
        1 << 20, 5, "trawl-test", java.nio.file.Path.of("unused"), url -> true);
    Renderer renderer = new Renderer(vertx, chromium.url(), 1, 0, withScreenshots);

    Rendered page = Await.on(context, () -> renderer.render(site.url("/app")).eventually(renderer::close));

    assertThat(page.screenshot()).startsWith(0x89, 'P', 'N', 'G');
  }

  @Test
  void rendersAtMostItsTabsAtOnce(Vertx vertx, SharedChromium.Endpoint chromium) {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ScriptedSite site = new ScriptedSite(vertx).start()
        .page("/app", APP)
        .route("/api/items.json", req -> {
          most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          vertx.setTimer(300, id -> {
            inFlight.decrementAndGet();
            req.response().putHeader("content-type", "application/json").end(ITEMS);
          });
        });
    Context context = vertx.getOrCreateContext();
    Renderer renderer = new Renderer(vertx, chromium.url(), 2, 0, options("li.item"));

    List<Rendered> pages = Await.on(context, () -> Future.all(
            List.of(renderer.render(site.url("/app")), renderer.render(site.url("/app")),
                renderer.render(site.url("/app")), renderer.render(site.url("/app")), renderer.render(site.url("/app"))))
        .map(all -> all.<Rendered>list())
        .eventually(renderer::close));

    assertThat(pages).hasSize(5).allMatch(p -> p.status() == 200);
    assertThat(renderer.pagesRendered()).isEqualTo(5);
    assertThat(pages).allMatch(p -> html(p).contains(">two</a>"));
    assertThat(most.get()).isEqualTo(2);
  }

  private static ScriptedSite app(Vertx vertx) {
    return new ScriptedSite(vertx).start()
        .page("/app", APP)
        .text("/api/items.json", "application/json", ITEMS);
  }

  static RenderOptions options(String waitFor) {
    return options(waitFor, 20_000);
  }

  static RenderOptions options(String waitFor, long timeoutMs) {
    return new RenderOptions(RenderOptions.Wait.of(waitFor), timeoutMs, DEFAULT_BLOCK, 1 << 20, 5, "trawl-test", null,
        url -> true);
  }

  static RenderOptions options(String waitFor, Predicate<String> inScope) {
    return new RenderOptions(RenderOptions.Wait.of(waitFor), 20_000, DEFAULT_BLOCK, 1 << 20, 5, "trawl-test", null,
        inScope);
  }

  static String html(Rendered page) {
    return new String(page.html(), StandardCharsets.UTF_8);
  }
}
