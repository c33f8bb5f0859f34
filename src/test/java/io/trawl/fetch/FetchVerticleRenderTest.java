package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.bus.Addresses;
import io.trawl.bus.FetchOutcome;
import io.trawl.bus.FetchRequest;
import io.trawl.bus.FetchedPage;
import io.trawl.bus.PageRecord;
import io.trawl.bus.PageStored;
import io.trawl.bus.ParseResult;
import io.trawl.bus.RecordCodec;
import io.trawl.bus.RenderRequest;
import io.trawl.bus.RenderedPage;
import io.trawl.bus.Replies;
import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.trawl.core.FailureKind;
import io.trawl.core.Scope;
import io.trawl.metrics.CrawlMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fetch stage's routing to the browser, with stand-ins for the render stage, the parser and
 * the store on their bus addresses: which URLs go to {@code trawl.render}, what comes of its answer,
 * and auto mode's round trip (plain, found lacking, put back, rendered, learned).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FetchVerticleRenderTest {
  private static final DeliveryOptions FETCH = new DeliveryOptions().setSendTimeout(10_000);

  @StartStop public final MockWebServer server = new MockWebServer();
  private final List<PageRecord> stored = new CopyOnWriteArrayList<>();
  private final List<FetchedPage> parsed = new CopyOnWriteArrayList<>();
  private final List<String> rendered = new CopyOnWriteArrayList<>();
  /** What the stand-in parser answers next (then: stored, found). */
  private final Deque<ParseResult> parserAnswers = new ArrayDeque<>();
  private Consumer<Message<RenderRequest>> renderer;

  @BeforeEach
  void standIns(Vertx vertx) {
    RecordCodec.registerAll(vertx);
    vertx.eventBus().<PageRecord>consumer(Addresses.STORE_PAGE, msg -> {
      stored.add(msg.body());
      msg.reply(new PageStored(0, msg.body().error()));
    });
    vertx.eventBus().<FetchedPage>consumer(Addresses.PARSE, msg -> {
      parsed.add(msg.body());
      ParseResult next = parserAnswers.poll();
      msg.reply(next != null ? next : new ParseResult(0, null, true, null));
    });
    vertx.eventBus().<RenderRequest>consumer(Addresses.RENDER, msg -> {
      rendered.add(msg.body().url());
      renderer.accept(msg);
    });
    vertx.eventBus().<Long>consumer(Addresses.FRONTIER_FETCHED, msg -> { });
    renderer = msg -> msg.reply(dom(msg.body().url(), "<p>rendered</p>"));
  }

  private static RenderedPage dom(String url, String html) {
    return new RenderedPage(url, 200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), true, 30,
        null, null);
  }

  private static TrawlConfig config(String... overrides) {
    Map<String, String> values = new HashMap<>(Map.of(
        "fetch.respect_robots", "false",
        "retry.max_attempts", "1"));
    for (int i = 0; i < overrides.length; i += 2) {
      values.put(overrides[i], overrides[i + 1]);
    }
    return ConfigLoader.fromYaml("", values);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getPort() + path;
  }

  private static Future<String> deploy(Vertx vertx, TrawlConfig config) {
    Scope scope = new Scope(List.of("127.0.0.1"), List.of(), List.of());
    return vertx.deployVerticle(new FetchVerticle(config, scope, new HostBreakers(config.circuit(), config.retry()),
        new KnownRobots(), FetchContext.of(config), url -> Map.of(), CrawlMetrics.OFF, new RenderRoutes(config.render()), 0));
  }

  private static Future<FetchOutcome> ask(Vertx vertx, FetchRequest request) {
    return vertx.eventBus().<FetchOutcome>request(Addresses.fetch(0), request, FETCH).map(Message::body);
  }

  @Test
  void aUrlRenderUrlsMatchesIsRenderedAndItsDomParsed(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, config("render.urls", "/app/"))
        .compose(id -> ask(vertx, new FetchRequest(7, url("/app/1"), 1, 0)))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertThat(outcome.stored()).isTrue();
          assertThat(outcome.error()).isNull();
          assertThat(rendered).containsExactly(url("/app/1"));
          assertThat(server.getRequestCount()).isZero();
          assertThat(parsed).hasSize(1);
          assertThat(parsed.get(0).rendered()).isEqualTo("urls");
          assertThat(parsed.get(0).mayRender()).isFalse();
          assertThat(new String(parsed.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("<p>rendered</p>");
          ctx.completeNow();
        })));
  }

  @Test
  void aDocumentThatIsNotHtmlIsFetchedPlainlyInstead(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/pdf").body("%PDF-1.4").build());
    renderer = msg -> msg.reply(new RenderedPage(msg.body().url(), 200, "application/pdf", new byte[0], false, 5,
        null, null));

    deploy(vertx, config("render.mode", "all"))
        .compose(id -> ask(vertx, new FetchRequest(7, url("/report.pdf"), 1, 0)))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertThat(outcome.stored()).isTrue();
          assertThat(server.getRequestCount()).isEqualTo(1);
          assertThat(parsed).isEmpty();
          assertThat(stored).hasSize(1);
          assertThat(stored.get(0).contentType()).isEqualTo("application/pdf");
          assertThat(stored.get(0).bytes()).isEqualTo(8);
          assertThat(stored.get(0).rendered()).isNull();
          ctx.completeNow();
        })));
  }

  @Test
  void aRenderFailureIsStoredWithItsKindAndWhyThePageWentToTheBrowser(Vertx vertx, VertxTestContext ctx) {
    renderer = msg -> Replies.fail(msg, FailureKind.TIMEOUT, "not rendered within 30000 ms");

    deploy(vertx, config("render.urls", "/app/"))
        .compose(id -> ask(vertx, new FetchRequest(7, url("/app/spin"), 1, 0)))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertThat(outcome.error()).isEqualTo("timeout");
          assertThat(stored).hasSize(1);
          assertThat(stored.get(0).error()).isEqualTo("timeout");
          assertThat(stored.get(0).rendered()).isEqualTo("urls");
          ctx.completeNow();
        })));
  }

  @Test
  void autoModePutsALackingPageBackForTheBrowserThenLearnsItsPattern(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/html").body("<div id=app></div>").build());
    parserAnswers.add(ParseResult.toRender("auto"));
    parserAnswers.add(new ParseResult(3, null, true, null));

    deploy(vertx, config("render.mode", "auto"))
        .compose(id -> ask(vertx, new FetchRequest(7, url("/product/1"), 1, 0)))
        .compose(first -> {
          ctx.verify(() -> {
            assertThat(first.stored()).as("put back, not stored").isFalse();
            assertThat(first.render()).isEqualTo("auto");
            assertThat(first.attempts()).as("not a try").isZero();
            assertThat(first.error()).isNull();
            assertThat(stored).isEmpty();
            assertThat(rendered).isEmpty();
            assertThat(parsed).singleElement().satisfies(page -> assertThat(page.mayRender()).isTrue());
          });
          return ask(vertx, new FetchRequest(7, url("/product/1"), 1, first.attempts(), null, first.render()));
        })
        .compose(second -> {
          ctx.verify(() -> {
            assertThat(second.stored()).isTrue();
            assertThat(second.newUrls()).isEqualTo(3);
            assertThat(parsed.get(1).rendered()).isEqualTo("auto");
          });
          return ask(vertx, new FetchRequest(8, url("/product/2"), 1, 0));
        })
        .onComplete(ctx.succeeding(third -> ctx.verify(() -> {
          assertThat(third.stored()).isTrue();
          assertThat(rendered).containsExactly(url("/product/1"), url("/product/2"));
          assertThat(parsed.get(2).rendered()).as("the pattern learned").isEqualTo("learned");
          assertThat(server.getRequestCount()).as("only the first page was fetched plainly").isEqualTo(1);
          ctx.completeNow();
        })));
  }
}
