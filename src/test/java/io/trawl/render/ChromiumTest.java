package io.trawl.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trawl.testing.Await;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.SharedChromium;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Each browser {@code render.browser: auto} may pick, started by trawl itself: it renders a
 * script-built page, and the watchdog ends it and every helper process when trawl's pipe to it
 * closes, as the OS closes it when the JVM dies. Skipped for a browser not installed (failed on CI,
 * which installs both).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChromiumTest {
  static final List<String> BROWSERS = Chromium.AUTO_CANDIDATES;

  /**
   * A page 2,000 pixels tall whose item appears only once frames come: an animation frame
   * callback starts an intersection observer, whose first callback (run in a frame too) adds it.
   */
  static final String FRAMES = """
      <!DOCTYPE html><html><body style="margin:0"><div id="tall" style="height:2000px"></div><ul></ul><script>
        requestAnimationFrame(() => new IntersectionObserver((entries, seen) => {
          seen.disconnect();
          document.querySelector('ul').innerHTML = '<li class="item"><a href="/item/2">two</a></li>';
        }).observe(document.getElementById('tall')));
      </script></body></html>""";

  @Test
  void autoPrefersTheHeadlessShell() {
    SharedChromium.assumeInstalled("chromium-headless-shell");

    assertThat(Chromium.find(Chromium.AUTO)).isEqualTo(Chromium.find("chromium-headless-shell"));
    assertThat(Chromium.notFound(Chromium.AUTO)).contains("chromium-headless-shell or chromium", "(auto)");
    assertThat(Chromium.find("no-such-browser-here")).isEmpty();
  }

  @ParameterizedTest
  @FieldSource("BROWSERS")
  void rendersAPageItsScriptBuilt(String executable, Vertx vertx) {
    SharedChromium.assumeInstalled(executable);
    ScriptedSite site = new ScriptedSite(vertx).start()
        .page("/app", """
            <!DOCTYPE html><body><div id="app"></div><script>
              fetch('/data.json').then(r => r.json()).then(d => {
                document.getElementById('app').innerHTML = d.items.map(i => '<p class="item">' + i + '</p>').join('');
              });
            </script></body>""")
        .text("/data.json", "application/json", "{\"items\": [\"one\", \"two\"]}");
    Context context = vertx.getOrCreateContext();

    Object html = Await.result(Future.future(p -> context.runOnContext(v ->
        Browser.launch(vertx, Browser.Options.of(executable))
            .compose(browser -> browser.newPage()
                .compose(page -> page.navigate(site.url("/app"))
                    .compose(x -> page.evaluate("""
                        new Promise(done => { const check = () => document.querySelectorAll('.item').length === 2
                          ? done(document.documentElement.outerHTML) : setTimeout(check, 10); check(); })"""))
                    .eventually(page::close))
                .eventually(browser::close))
            .onComplete(p))));

    assertThat((String) html).contains("<p class=\"item\">one</p><p class=\"item\">two</p>");
  }

  /**
   * The tabs of a shell trawl started take their frames from trawl (FrameClock), chromium's from
   * its own clock; in both a page that waits for frames is built, and both screenshots are drawn
   * at their sizes.
   */
  @ParameterizedTest
  @FieldSource("BROWSERS")
  void framesComeFromUsInTheShellAndPagesThatWaitForThemAreBuiltInEither(String executable, Vertx vertx) {
    SharedChromium.assumeInstalled(executable);
    ScriptedSite site = new ScriptedSite(vertx).start().page("/frames", FRAMES);

    boolean framesOnDemand = pagesThatWaitForFramesAreBuiltAndDrawn(vertx,
        () -> Browser.launch(vertx, Browser.Options.of(executable)), site.url("/frames"));

    assertThat(framesOnDemand).as("frames on demand").isEqualTo(executable.equals("chromium-headless-shell"));
  }

  /**
   * A shell someone else started, as trawl starts one, is used with its own frames: another
   * program may be sending it frames too, and overlapping frames crash its GPU process.
   */
  @Test
  void aShellWeOnlyConnectToKeepsItsOwnFrames(Vertx vertx, @TempDir Path dir) throws Exception {
    SharedChromium.assumeInstalled("chromium-headless-shell");
    Path profile = Files.createDirectory(dir.resolve("profile"));
    Process watchdog = new ProcessBuilder(Chromium.watched(Chromium.command(
        Chromium.find("chromium-headless-shell").orElseThrow(), profile, Chromium.sandboxAllowed())))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    ScriptedSite site = new ScriptedSite(vertx).start().page("/frames", FRAMES);
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2);
      List<String> port = Files.readAllLines(portFile);
      String url = "ws://127.0.0.1:" + port.get(0).trim() + port.get(1).trim();

      boolean framesOnDemand = pagesThatWaitForFramesAreBuiltAndDrawn(vertx, () -> Browser.connect(vertx, url, 16 << 20),
          site.url("/frames"));

      assertThat(framesOnDemand).as("frames on demand").isFalse();
    } finally {
      watchdog.getOutputStream().close();
      watchdog.descendants().forEach(ProcessHandle::destroyForcibly);
      watchdog.destroyForcibly();
    }
  }

  /**
   * Opens {@code browser}, loads {@code frames} (the {@link #FRAMES} page) in a tab and checks that
   * its frame-made item is built and that both screenshots are drawn at the viewport's and the
   * page's sizes; closes everything. Whether the browser took its frames from us.
   */
  private static boolean pagesThatWaitForFramesAreBuiltAndDrawn(Vertx vertx, Supplier<Future<Browser>> browser,
      String frames) {
    Context context = vertx.getOrCreateContext();
    List<Object> seen = new ArrayList<>();
    Await.result(Future.<Void>future(p -> context.runOnContext(v -> browser.get()
        .compose(opened -> {
          seen.add(opened.framesOnDemand());
          return opened.newPage()
              .compose(page -> page.navigate(frames)
                  .compose(x -> page.evaluate(WAIT_FOR_ITEM))
                  .compose(html -> {
                    seen.add(html);
                    return page.evaluate("[innerWidth, innerHeight, document.documentElement.scrollHeight]");
                  })
                  .compose(size -> {
                    seen.add(size);
                    return page.screenshot(false);
                  })
                  .compose(png -> {
                    seen.add(png);
                    return page.screenshot(true);
                  })
                  .map(seen::add)
                  .eventually(page::close))
              .eventually(opened::close);
        })
        .<Void>mapEmpty()
        .onComplete(p))));

    assertThat((String) seen.get(1)).contains("<li class=\"item\"><a href=\"/item/2\">two</a></li>");
    JsonArray size = (JsonArray) seen.get(2);
    assertThat(size.getInteger(2)).as("the page's height").isGreaterThan(2000);
    assertThat(pngSize((byte[]) seen.get(3))).as("the viewport's picture").containsExactly(size.getInteger(0), size.getInteger(1));
    assertThat(pngSize((byte[]) seen.get(4))).as("the whole page's picture").containsExactly(size.getInteger(0), size.getInteger(2));
    return (Boolean) seen.get(0);
  }

  private static final String WAIT_FOR_ITEM = """
      new Promise(done => { const check = () => document.querySelector('li.item')
        ? done(document.documentElement.outerHTML) : setTimeout(check, 10); check(); })""";

  /** The width and height a PNG's header gives. */
  private static List<Integer> pngSize(byte[] png) {
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    return List.of(readInt(png, 16), readInt(png, 20));
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
  }

  @ParameterizedTest
  @FieldSource("BROWSERS")
  void theWatchdogEndsTheBrowserAndItsHelpersWhenItsPipeCloses(String executable, @TempDir Path dir) throws Exception {
    SharedChromium.assumeInstalled(executable);
    Path profile = Files.createDirectory(dir.resolve("profile"));
    Process watchdog = new ProcessBuilder(Chromium.watched(
        Chromium.command(Chromium.find(executable).orElseThrow(), profile, Chromium.sandboxAllowed())))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    List<ProcessHandle> browser = new ArrayList<>();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(profile.resolve("DevToolsActivePort"))
          && watchdog.descendants().count() > 3);
      browser.addAll(watchdog.descendants().toList());
      assertThat(browser).as("the launcher, the browser and its helpers").hasSizeGreaterThan(3);

      watchdog.getOutputStream().close();

      assertThat(watchdog.waitFor(30, TimeUnit.SECONDS)).as("the watchdog ended").isTrue();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(browser).filteredOn(ProcessHandle::isAlive).as("browser processes still running").isEmpty());
    } finally {
      browser.forEach(ProcessHandle::destroyForcibly);
      watchdog.descendants().forEach(ProcessHandle::destroyForcibly);
      watchdog.destroyForcibly();
    }
  }
}
