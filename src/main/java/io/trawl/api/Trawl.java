package io.trawl.api;

import io.trawl.CrawlJob;
import io.trawl.Extensions;
import io.trawl.bus.Progress;
import io.trawl.config.ConfigLoader;
import io.trawl.config.SeedsFile;
import io.trawl.config.TrawlConfig;
import io.trawl.core.Scope;
import io.trawl.core.UrlNormalizer;
import io.trawl.metrics.CrawlMetrics;
import io.trawl.metrics.MetricsVertx;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * trawl as a library: one crawl, configured in code or from YAML, with Java code plugged in where
 * the config's rules are not enough. The same pipeline as {@code trawl crawl}: politeness,
 * robots.txt, retries, the SQLite file ({@code crawl.db}) with its pages, links, items and
 * frontier, and {@code --resume} after a kill.
 *
 * <pre>{@code
 * CrawlSummary summary = Trawl.builder()
 *     .configYaml("crawl: {db: shop.db, max_depth: 2}")
 *     .seeds("https://shop.example.com/")
 *     .pageHandler(page -> page.emitItem("title", Map.of("title", page.document().title())))
 *     .itemSink(items -> items.forEach(System.out::println))
 *     .build()
 *     .run();
 * }</pre>
 *
 * <p>Threads: build and {@link #run()} on any thread that may block (not a Vert.x event loop);
 * {@link #start()} returns at once. The crawl runs on a Vert.x instance of its own (or the one
 * given to {@link Builder#vertx}); page handlers and the item sink on its parse workers, the
 * request hook on its event loops. One {@code Trawl} runs one crawl, once.
 */
public final class Trawl {
  private static final Logger log = LoggerFactory.getLogger(Trawl.class);
  private static final long CLOSE_WAIT_SECONDS = 30;

  private final TrawlConfig config;
  private final List<String> seeds;
  private final boolean resume;
  private final Extensions extensions;
  private final Vertx givenVertx;
  private CrawlJob job;
  private CompletableFuture<CrawlSummary> started;

  private Trawl(Builder builder, TrawlConfig config, List<String> seeds) {
    this.config = config;
    this.seeds = seeds;
    this.resume = builder.resume;
    this.extensions = new Extensions(builder.pageHandlers, builder.itemSink, builder.requestHook);
    this.givenVertx = builder.vertx;
  }

  /** A builder with every config key at its default and no seeds. */
  public static Builder builder() {
    return new Builder();
  }

  /** The validated config the crawl runs with. */
  public TrawlConfig config() {
    return config;
  }

  /** Runs the crawl and waits for it to end. Call it from a thread that may block. */
  public CrawlSummary run() throws InterruptedException {
    try {
      return start().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }
  }

  /**
   * Starts the crawl; the future completes once it has ended and the SQLite file is closed (failing
   * only when the pipeline could not start, e.g. the database cannot be opened).
   *
   * @throws IllegalStateException when this crawl was started already
   */
  public synchronized CompletableFuture<CrawlSummary> start() {
    if (started != null) {
      throw new IllegalStateException("a Trawl runs once; build another for another crawl");
    }
    CrawlMetrics metrics = CrawlMetrics.forConfig(config);
    Vertx vertx = givenVertx != null ? givenVertx
        : MetricsVertx.create(CrawlJob.vertxOptions(), metrics, config.crawl().metrics().isPresent());
    Scope scope = Scope.of(config.crawl(), seeds);
    List<String> inScope = seeds.stream().filter(scope::allows).toList();
    job = new CrawlJob(vertx, config, inScope, scope, resume, extensions, metrics);
    long startedMs = System.currentTimeMillis();
    started = new CompletableFuture<>();
    job.start()
        .compose(v -> job.finished())
        .map(last -> summary(last, System.currentTimeMillis() - startedMs))
        .onComplete(ended -> {
          if (givenVertx != null) {
            settle(ended, started);
          } else {
            closeThenSettle(vertx, ended, started);
          }
        });
    return started;
  }

  /**
   * Closes our own Vert.x, then completes the run, on a thread of its own: a Vert.x closed from one
   * of its event loops (where the crawl ends) cannot deliver the close's completion there.
   */
  private static void closeThenSettle(Vertx vertx, AsyncResult<CrawlSummary> ended, CompletableFuture<CrawlSummary> into) {
    Thread closer = new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        log.warn("closing the crawl's Vert.x failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      settle(ended, into);
    }, "trawl-close");
    closer.start();
  }

  private static void settle(AsyncResult<CrawlSummary> ended, CompletableFuture<CrawlSummary> into) {
    if (ended.succeeded()) {
      into.complete(ended.result());
    } else {
      into.completeExceptionally(ended.cause());
    }
  }

  /**
   * Stops handing out work; pages in flight are finished and stored (for up to {@code graceMs}),
   * and the crawl ends as {@code interrupted}: a later run with {@link Builder#resume} continues it.
   */
  public synchronized CompletableFuture<CrawlSummary> stop(long graceMs) {
    if (job == null) {
      throw new IllegalStateException("not started");
    }
    job.stop(graceMs);
    return started;
  }

  private static CrawlSummary summary(Progress last, long elapsedMs) {
    String outcome = "failed".equals(last.stopReason()) ? "failed"
        : "interrupted".equals(last.stopReason()) ? "interrupted" : "finished";
    return new CrawlSummary(outcome, last.stopReason(), last.stored(), last.failed(), elapsedMs);
  }

  /**
   * What to crawl and with which code. Config: the defaults, or a YAML file or text (as {@code
   * config.yaml}), then {@link #set} overrides (as {@code --set}); it is validated by {@link
   * #build()}, which throws {@link io.trawl.config.ConfigException} naming the key at fault. Not
   * thread-safe; use it on one thread.
   */
  public static final class Builder {
    private Path configFile;
    private String configYaml;
    private TrawlConfig config;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final List<String> seeds = new ArrayList<>();
    private final List<PageHandler> pageHandlers = new ArrayList<>();
    private ItemSink itemSink;
    private RequestHook requestHook;
    private boolean resume;
    private Vertx vertx;

    private Builder() {}

    /** Reads the config from this YAML file (as {@code trawl crawl -c}). */
    public Builder configFile(Path file) {
      this.configFile = file;
      this.configYaml = null;
      this.config = null;
      return this;
    }

    /** Reads the config from this YAML text. */
    public Builder configYaml(String yaml) {
      this.configYaml = yaml;
      this.configFile = null;
      this.config = null;
      return this;
    }

    /** Uses this config as it is ({@link #set} still applies on top of a file or YAML only). */
    public Builder config(TrawlConfig config) {
      this.config = config;
      this.configFile = null;
      this.configYaml = null;
      return this;
    }

    /** Overrides one key by its dotted path, as {@code --set}: {@code set("crawl.db", "shop.db")}. */
    public Builder set(String keyPath, String value) {
      overrides.put(keyPath, value);
      return this;
    }

    /**
     * Adds seed URLs (absolute http(s)). They also make the crawl's scope (their hosts) unless
     * {@code crawl.allowed_domains} is set: give them again when resuming, as the command line
     * reads its seeds file again.
     */
    public Builder seeds(String... urls) {
      seeds.addAll(List.of(urls));
      return this;
    }

    /** Adds seed URLs. */
    public Builder seeds(List<String> urls) {
      seeds.addAll(urls);
      return this;
    }

    /** Adds a handler run on every parsed HTML page, after the config's rules and the handlers added before. */
    public Builder pageHandler(PageHandler handler) {
      pageHandlers.add(handler);
      return this;
    }

    /** Sets the sink that receives every page's items. */
    public Builder itemSink(ItemSink sink) {
      this.itemSink = sink;
      return this;
    }

    /** Sets the hook that adds headers to each page request. */
    public Builder requestHook(RequestHook hook) {
      this.requestHook = hook;
      return this;
    }

    /**
     * Continues the crawl in {@code crawl.db}: the URLs an interrupted or killed run left in flight
     * are queued again (as {@code --resume}). Without it, a database holding a crawl is added to:
     * the seeds join its frontier, and URLs it has done are not fetched again.
     */
    public Builder resume(boolean resume) {
      this.resume = resume;
      return this;
    }

    /** Runs on this Vert.x instance instead of one of its own (which it then does not close). */
    public Builder vertx(Vertx vertx) {
      this.vertx = vertx;
      return this;
    }

    /**
     * The crawl, with its config validated and its seeds checked.
     *
     * @throws io.trawl.config.ConfigException for a bad config value, naming its key path
     * @throws IllegalArgumentException for a bad seed URL (naming it), or no seeds (a resumed crawl
     *     may do without only when {@code crawl.allowed_domains} gives its scope)
     */
    public Trawl build() {
      TrawlConfig cfg = config != null ? config
          : configYaml != null ? ConfigLoader.fromYaml(configYaml, overrides)
          : ConfigLoader.load(configFile, overrides);
      LinkedHashSet<String> normalized = new LinkedHashSet<>();
      for (String seed : seeds) {
        Optional<String> problem = SeedsFile.problem(seed);
        Optional<String> url = UrlNormalizer.normalize(seed);
        if (problem.isPresent() || url.isEmpty()) {
          throw new IllegalArgumentException("seed \"" + SeedsFile.masked(seed) + "\" "
              + problem.orElse("is not an http(s) URL trawl can fetch"));
        }
        normalized.add(url.get());
      }
      if (normalized.isEmpty() && (!resume || cfg.crawl().allowedDomains().isEmpty())) {
        throw new IllegalArgumentException("no seeds: they are where the crawl starts and, unless"
            + " crawl.allowed_domains is set, its scope; give them again when resuming");
      }
      return new Trawl(this, cfg, List.copyOf(normalized));
    }
  }
}
