package io.trawl.render;

import static io.trawl.render.RendererTest.APP;
import static io.trawl.render.RendererTest.ITEMS;
import static io.trawl.render.RendererTest.html;
import static io.trawl.render.RendererTest.options;
import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.core.FailureKind;
import io.trawl.testing.Await;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.SharedChromium;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Browsers of the renderer's own, restarted: after a kill -9 with a page in hand, after recycle_after pages. */
@ExtendWith({VertxExtension.class, SharedChromium.class})
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RendererRestartTest {
  @Test
  void aBrowserKilledWithAPageInHandIsRestartedAndThePageRendered(Vertx vertx) {
    Context context = vertx.getOrCreateContext();
    Renderer renderer = new Renderer(vertx, Chromium.AUTO, 2, 0, options("li.item"));
    AtomicInteger asked = new AtomicInteger();
    List<Long> killed = new ArrayList<>();
    ScriptedSite site = new ScriptedSite(vertx).start()
        .page("/app", APP)
        .route("/api/items.json", req -> {
          if (asked.incrementAndGet() == 1) {
            // The page is in hand, waiting for its data: kill its browser, and never answer.
            context.runOnContext(v -> {
              long pid = renderer.browser().pid();
              killed.add(pid);
              ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            });
          } else {
            req.response().putHeader("content-type", "application/json").end(ITEMS);
          }
        });

    Rendered page;
    long secondPid;
    try {
      page = Await.on(context, () -> renderer.render(site.url("/app")));
      secondPid = Await.on(context, () -> Future.succeededFuture(renderer.browser().pid()));
    } finally {
      Await.on(context, renderer::close);
    }

    assertThat(html(page)).contains(">one</a>", ">two</a>");
    assertThat(site.count("/app")).isEqualTo(2);
    assertThat(renderer.browserLosses()).isEqualTo(1);
    assertThat(renderer.browserStarts()).isEqualTo(2);
    assertThat(killed).hasSize(1).doesNotContain(secondPid);
    assertThat(ProcessHandle.of(secondPid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
  }

  @Test
  void restartsTheBrowserAfterRecycleAfterPages(Vertx vertx) {
    ScriptedSite site = new ScriptedSite(vertx).start()
        .page("/app", APP)
        .text("/api/items.json", "application/json", ITEMS);
    Context context = vertx.getOrCreateContext();
    Renderer renderer = new Renderer(vertx, Chromium.AUTO, 1, 2, options("li.item"));
    List<Long> pids = new ArrayList<>();

    try {
      for (int i = 0; i < 5; i++) {
        Rendered page = Await.on(context, () -> renderer.render(site.url("/app"))
            .onSuccess(p -> pids.add(renderer.browser().pid())));
        assertThat(html(page)).contains(">two</a>");
      }
    } finally {
      Await.on(context, renderer::close);
    }

    assertThat(renderer.browserStarts()).isEqualTo(3);
    assertThat(renderer.browserLosses()).isZero();
    assertThat(pids).hasSize(5);
    assertThat(pids.get(1)).isEqualTo(pids.get(0));
    assertThat(pids.get(3)).isEqualTo(pids.get(2));
    assertThat(new java.util.HashSet<>(pids)).hasSize(3);
  }

  @Test
  void aBrowserThatCannotStartFailsItsPagesAsBrowser(Vertx vertx) {
    Context context = vertx.getOrCreateContext();
    Renderer renderer = new Renderer(vertx, "/nonexistent/chromium", 1, 0, options("load"));

    Throwable failure = Await.failureOn(context, () -> renderer.render("http://127.0.0.1:9/x").eventually(renderer::close));

    assertThat(FailureKind.of(failure)).isEqualTo(FailureKind.BROWSER);
    assertThat(failure).hasMessageContaining("/nonexistent/chromium");
  }
}
