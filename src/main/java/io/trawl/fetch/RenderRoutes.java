package io.trawl.fetch;

import io.trawl.config.TrawlConfig;
import io.trawl.core.RenderReason;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which pages go to the browser, and why ({@link RenderReason}: the words of {@code pages.rendered}). {@code
 * render.urls} and {@code render.mode: all} send pages there by configuration; {@code
 * render.mode: auto} learns it per {@link PathTemplate}. A page of a pattern not known to need
 * the browser is fetched over plain HTTP first; when the rules find nothing on it (or {@code
 * render.when_missing} is absent), it is rendered ({@link #AUTO}, {@link #WHEN_MISSING}), and
 * what the rendered page gives teaches the pattern: once more of its pages needed the browser
 * than did without it, the rest of its pages go straight there ({@link #LEARNED}). A pattern
 * whose rendered pages found nothing either, {@value #GIVE_UP_AFTER} times and never anything,
 * is no longer rendered (its pages are simply empty). At most {@value #MAX_PATTERNS} patterns are
 * learned; pages of further ones are fetched plainly first. Shared by the fetch verticles of a
 * JVM; thread-safe.
 */
public final class RenderRoutes {
  /** {@link RenderReason#URLS}. */
  public static final String URLS = RenderReason.URLS;
  /** {@link RenderReason#ALL}. */
  public static final String ALL = RenderReason.ALL;
  /** {@link RenderReason#AUTO}. */
  public static final String AUTO = RenderReason.AUTO;
  /** {@link RenderReason#WHEN_MISSING}. */
  public static final String WHEN_MISSING = RenderReason.WHEN_MISSING;
  /** {@link RenderReason#LEARNED}. */
  public static final String LEARNED = RenderReason.LEARNED;

  static final int GIVE_UP_AFTER = 3;
  static final int MAX_PATTERNS = 10_000;

  private static final Logger log = LoggerFactory.getLogger(RenderRoutes.class);

  private final boolean all;
  private final boolean auto;
  private final List<Pattern> urls;
  private final Map<String, Counts> patterns = new ConcurrentHashMap<>();

  /** What the pages of one pattern showed. */
  private static final class Counts {
    /** Pages whose rules found something over plain HTTP. */
    int plainFound;
    /** Pages that found nothing plainly and something once rendered. */
    int helped;
    /** Pages that found nothing plainly, and nothing rendered either. */
    int useless;

    boolean needsBrowser() {
      return helped > plainFound;
    }

    boolean givenUp() {
      return helped == 0 && useless >= GIVE_UP_AFTER;
    }
  }

  public RenderRoutes(TrawlConfig.Render config) {
    this.all = config.mode().equals(TrawlConfig.Render.MODE_ALL);
    this.auto = config.mode().equals(TrawlConfig.Render.MODE_AUTO);
    this.urls = config.urls().stream().map(Pattern::compile).toList();
  }

  /** Whether any page may be rendered at all. */
  public boolean any() {
    return all || auto || !urls.isEmpty();
  }

  /** Why {@code url} goes straight to the browser: {@link #URLS}, {@link #ALL}, {@link #LEARNED}; null for plain HTTP. */
  public String route(String url) {
    if (all) {
      return ALL;
    }
    for (Pattern pattern : urls) {
      if (pattern.matcher(url).find()) {
        return URLS;
      }
    }
    if (auto) {
      Counts counts = patterns.get(PathTemplate.of(url));
      if (counts != null) {
        synchronized (counts) {
          if (counts.needsBrowser()) {
            return LEARNED;
          }
        }
      }
    }
    return null;
  }

  /** Whether a page fetched plainly is rendered when it lacks what the rules look for: {@code auto}, and not given up. */
  public boolean mayRender(String url) {
    if (!auto) {
      return false;
    }
    Counts counts = patterns.get(PathTemplate.of(url));
    if (counts == null) {
      return true;
    }
    synchronized (counts) {
      return !counts.givenUp();
    }
  }

  /** A page fetched plainly whose rules found something. */
  public void plainFound(String url) {
    if (auto) {
      update(url, counts -> counts.plainFound++);
    }
  }

  /** A page rendered because it lacked something plainly ({@link #AUTO}, {@link #WHEN_MISSING}): whether rendering found it. */
  public void renderedAfterPlain(String url, boolean found) {
    if (!auto) {
      return;
    }
    String template = PathTemplate.of(url);
    update(url, counts -> {
      boolean before = counts.needsBrowser();
      if (found) {
        counts.helped++;
      } else {
        counts.useless++;
      }
      if (!before && counts.needsBrowser()) {
        log.info("render learned pattern={} needs the browser: its pages go there straight", template);
      } else if (counts.givenUp() && counts.useless == GIVE_UP_AFTER) {
        log.info("render gave up pattern={}: rendered, its pages showed nothing either", template);
      }
    });
  }

  private void update(String url, java.util.function.Consumer<Counts> change) {
    String template = PathTemplate.of(url);
    Counts counts = patterns.get(template);
    if (counts == null) {
      if (patterns.size() >= MAX_PATTERNS) {
        return;
      }
      counts = patterns.computeIfAbsent(template, t -> new Counts());
    }
    synchronized (counts) {
      change.accept(counts);
    }
  }

  /** The patterns learned to need the browser, for the log and the summary. */
  public List<String> learned() {
    return patterns.entrySet().stream()
        .filter(e -> {
          synchronized (e.getValue()) {
            return e.getValue().needsBrowser();
          }
        })
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }
}
