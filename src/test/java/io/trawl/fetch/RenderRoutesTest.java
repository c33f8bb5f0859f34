package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RenderRoutesTest {
  private static TrawlConfig.Render render(String key, String value) {
    return ConfigLoader.load(null, Map.of(key, value)).render();
  }

  @Test
  void rendersNothingByDefault() {
    RenderRoutes routes = new RenderRoutes(ConfigLoader.defaults().render());

    assertThat(routes.any()).isFalse();
    assertThat(routes.route("https://shop.example/app/1")).isNull();
    assertThat(routes.mayRender("https://shop.example/app/1")).isFalse();
  }

  @Test
  void rendersTheUrlsTheRegexesFindOrEveryPage() {
    RenderRoutes urls = new RenderRoutes(render("render.urls", "/app/,\\.jsx$"));
    RenderRoutes all = new RenderRoutes(render("render.mode", "all"));

    assertThat(urls.route("https://shop.example/app/1")).isEqualTo(RenderRoutes.URLS);
    assertThat(urls.route("https://shop.example/x.jsx")).isEqualTo(RenderRoutes.URLS);
    assertThat(urls.route("https://shop.example/about")).isNull();
    assertThat(urls.mayRender("https://shop.example/about")).isFalse();
    assertThat(all.route("https://shop.example/about")).isEqualTo(RenderRoutes.ALL);
  }

  @Test
  void learnsThatAPatternNeedsTheBrowserFromItsFirstPageThatDid() {
    RenderRoutes routes = new RenderRoutes(render("render.mode", "auto"));

    assertThat(routes.route("https://shop.example/product/1")).isNull();
    assertThat(routes.mayRender("https://shop.example/product/1")).isTrue();
    routes.renderedAfterPlain("https://shop.example/product/1", true);

    assertThat(routes.route("https://shop.example/product/2")).isEqualTo(RenderRoutes.LEARNED);
    assertThat(routes.route("https://shop.example/products")).isNull();
    assertThat(routes.learned()).containsExactly("shop.example/product/{n}");
  }

  @Test
  void keepsAPatternPlainWhileMostOfItsPagesNeedNoBrowser() {
    RenderRoutes routes = new RenderRoutes(render("render.mode", "auto"));

    routes.plainFound("https://shop.example/item/1");
    routes.plainFound("https://shop.example/item/2");
    routes.renderedAfterPlain("https://shop.example/item/3", true);
    assertThat(routes.route("https://shop.example/item/4")).isNull();
    routes.renderedAfterPlain("https://shop.example/item/5", true);
    routes.renderedAfterPlain("https://shop.example/item/6", true);

    assertThat(routes.route("https://shop.example/item/7")).isEqualTo(RenderRoutes.LEARNED);
  }

  @Test
  void givesUpOnAPatternWhoseRenderedPagesShowNothingEither() {
    RenderRoutes routes = new RenderRoutes(render("render.mode", "auto"));

    for (int i = 0; i < RenderRoutes.GIVE_UP_AFTER; i++) {
      assertThat(routes.mayRender("https://shop.example/empty/" + i)).isTrue();
      routes.renderedAfterPlain("https://shop.example/empty/" + i, false);
    }

    assertThat(routes.mayRender("https://shop.example/empty/99")).isFalse();
    assertThat(routes.route("https://shop.example/empty/99")).isNull();
  }
}
