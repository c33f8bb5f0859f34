package io.trawl.testing;

import io.trawl.render.Browser;
import io.trawl.render.Chromium;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One headless Chromium for the whole test run: started on first use (seconds on a loaded
 * machine, so not once per test), closed when the run ends. A test asks for a {@link Endpoint}
 * parameter and connects to it with {@link Browser#connect}, or gives a crawl its URL as {@code
 * render.browser}; each crawl and test opens its own tabs in browser contexts of their own. On a
 * machine without Chromium the tests of a class using this extension are skipped, with the reason
 * (failed instead when {@value #REQUIRED_ENV} is set, as on CI).
 */
public final class SharedChromium implements ExecutionCondition, ParameterResolver {
  /** The shared browser's DevTools URL, and its process id (a test that kills browsers must spare it). */
  public record Endpoint(String url, long pid) {}

  private static final String NO_BROWSER = "no Chromium on this machine (render.browser \"auto\" finds none of "
      + Chromium.AUTO_CANDIDATES + " on PATH): install Debian's chromium-headless-shell package, as .ci/run does";

  /**
   * Set (to anything) where the rendering tests must run, as {@code .ci/run} does: a missing
   * browser then fails them instead of skipping them, so CI cannot pass without testing rendering.
   */
  static final String REQUIRED_ENV = "TRAWL_TEST_CHROMIUM_REQUIRED";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (Chromium.find(Chromium.AUTO).isPresent()) {
      return ConditionEvaluationResult.enabled("Chromium found");
    }
    if (System.getenv(REQUIRED_ENV) != null) {
      throw new IllegalStateException(NO_BROWSER + "; " + REQUIRED_ENV + " is set, so the rendering tests may not be skipped");
    }
    return ConditionEvaluationResult.disabled(NO_BROWSER);
  }

  /**
   * Skips the calling test when {@code executable}, one of the browsers {@code auto} looks for, is
   * not on PATH; fails it instead where {@value #REQUIRED_ENV} is set, as on CI, which installs each.
   */
  public static void assumeInstalled(String executable) {
    if (Chromium.find(executable).isPresent()) {
      return;
    }
    String reason = executable + " is not on PATH: install Debian's " + executable + " package, as .ci/run does";
    if (System.getenv(REQUIRED_ENV) != null) {
      throw new IllegalStateException(reason + "; " + REQUIRED_ENV + " is set, so the rendering tests may not be skipped");
    }
    Assumptions.assumeTrue(false, reason);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Endpoint.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Running running = context.getRoot().getStore(ExtensionContext.Namespace.create(SharedChromium.class))
        .getOrComputeIfAbsent(Running.class, type -> Running.start(), Running.class);
    return new Endpoint(running.url, running.browser.pid());
  }

  /** The browser and the Vert.x instance that launched it; closed with the root context at the end of the run. */
  private static final class Running implements AutoCloseable {
    private final Vertx vertx;
    private final Context context;
    private final Browser browser;
    private final String url;

    private Running(Vertx vertx, Context context, Browser browser) {
      this.vertx = vertx;
      this.context = context;
      this.browser = browser;
      this.url = browser.devToolsUrl();
    }

    static Running start() {
      Vertx vertx = Vertx.vertx();
      Context context = vertx.getOrCreateContext();
      Future<Browser> launched = Future.<Browser>future(p -> context.runOnContext(v ->
          Browser.launch(vertx, Browser.Options.of(Chromium.AUTO)).onComplete(p)));
      try {
        Browser browser = launched.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        return new Running(vertx, context, browser);
      } catch (Exception e) {
        vertx.close();
        throw new IllegalStateException("the shared Chromium did not start", e);
      }
    }

    @Override
    public void close() throws Exception {
      try {
        Future.<Void>future(p -> context.runOnContext(v -> browser.close().onComplete(p)))
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }
}
