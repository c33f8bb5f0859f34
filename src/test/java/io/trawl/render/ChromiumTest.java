package io.trawl.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trawl.testing.Await;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.SharedChromium;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
