package io.trawl.store;

import io.trawl.core.PageChange;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What changed in a crawl's database between the end of one run and the end of a later one, read
 * from {@code page_versions} and from {@code items} with {@code item_history}: pages new, changed,
 * unchanged, gone or failed, and items added, changed or removed. Plain SQL through a read-only
 * {@link StoreReader}, the same on both backends, streamed page by page; items are matched in
 * memory, as many as changed in the span. Blocking: the command line's main thread.
 */
public final class RunDiff {
  /** What became of an item between the two states. */
  public enum ItemChange { ADDED, CHANGED, REMOVED }

  /**
   * The two states compared: the database as run {@code baseline} left it (0: before any run)
   * and as run {@code target} left it.
   */
  public record Span(long baseline, long target) {}

  /**
   * One page fetched in the span, with what it came to.
   *
   * @param change NEW, CHANGED or UNCHANGED against the baseline (a page gone then and still gone
   *     is UNCHANGED); GONE when it is gone now (404, 410 or no host) and was not at the baseline
   *     (it had content, or was not known: a dead link found in the span); FAILED when every fetch
   *     in the span failed (what it holds now is not known)
   * @param run the last run that fetched it
   * @param status the HTTP status of that fetch (304 for a not-modified answer), or null
   * @param error that fetch's error, or null
   */
  public record PageDiff(String url, PageChange change, long run, Integer status, String error) {}

  /**
   * One item that differs between the two states.
   *
   * @param key the rule's key of the item ({@code items.item_key}), by which it is matched across
   *     pages and runs; null for an item without one, matched by page and position
   * @param position for an item without a key, its place among its rule's items without a key on
   *     its page (0-based); null for a keyed item
   * @param before its data (JSON text) in the baseline, or null when added
   * @param after its data (JSON text) in the target, or null when removed
   */
  public record ItemDiff(ItemChange change, String rule, String key, String pageUrl, Integer position, String before,
      String after) {}

  private final StoreReader reader;

  public RunDiff(StoreReader reader) {
    this.reader = reader;
  }

  /**
   * The last pass (the last crawl or recrawl with its resumes) against the state before it.
   *
   * @throws StoreException {@link StoreException.Kind#NO_DATABASE} when no run is recorded
   */
  public Span lastPass() {
    List<Run> runs = runs();
    long target = runs.get(runs.size() - 1).id();
    long passStart = runs.stream().filter(r -> !"resume".equals(r.kind())).mapToLong(Run::id).max()
        .orElse(runs.get(0).id());
    long baseline = runs.stream().mapToLong(Run::id).filter(id -> id < passStart).max().orElse(0);
    return new Span(baseline, target);
  }

  /**
   * Everything after run {@code runId} against the state it left.
   *
   * @throws StoreException {@link StoreException.Kind#REFUSED} when there is no such run
   */
  public Span sinceRun(long runId) {
    List<Run> runs = runs();
    if (runs.stream().noneMatch(r -> r.id() == runId)) {
      throw new StoreException(StoreException.Kind.REFUSED, "no run " + runId + " in " + describe(runs));
    }
    return new Span(runId, runs.get(runs.size() - 1).id());
  }

  /** Everything after {@code time}: against the state of the last run started before it (none: an empty database). */
  public Span since(Instant time) {
    List<Run> runs = runs();
    long baseline = runs.stream().filter(r -> r.startedAt().isBefore(time)).mapToLong(Run::id).max().orElse(0);
    return new Span(baseline, runs.get(runs.size() - 1).id());
  }

  /** Each URL fetched in the span (after {@code baseline}, up to {@code target}), by URL. */
  public void pages(Span span, Consumer<PageDiff> out) {
    String sql = """
        SELECT v.url, coalesce(v.crawl_id, 0) AS run, v.change, v.content_hash, v.status, v.error
        FROM page_versions v
        WHERE v.url IN (SELECT url FROM page_versions WHERE crawl_id > %1$d AND crawl_id <= %2$d)
          AND coalesce(v.crawl_id, 0) <= %2$d
        ORDER BY v.url, run, v.id""".formatted(span.baseline(), span.target());
    try (ResultSet rs = read(sql)) {
      PageHistory history = null;
      while (rs.next()) {
        String url = rs.getString(1);
        if (history == null || !history.url.equals(url)) {
          emit(history, out);
          history = new PageHistory(url, span.baseline());
        }
        int status = rs.getInt(5);
        Integer fetchedStatus = rs.wasNull() ? null : status; // before any other column is read
        history.add(rs.getLong(2), PageChange.fromColumn(rs.getString(3)), rs.getString(4), fetchedStatus,
            rs.getString(6));
      }
      emit(history, out);
    } catch (SQLException e) {
      throw reader.failure(e);
    }
  }

  /**
   * The items that differ between the two states: a keyed item matched by its rule and key,
   * wherever it was seen (an item that moved to another page unchanged is no difference); an item
   * without a key by its page, rule and position among that rule's unkeyed items on the page.
   */
  public void items(Span span, Consumer<ItemDiff> out) {
    long b = span.baseline();
    long t = span.target();
    Map<String, Item> before = matched(read("""
        SELECT item_id, page_url, rule, data, item_key FROM item_history
        WHERE coalesce(crawl_id, 0) <= %1$d AND removed_in > %1$d AND removed_in <= %2$d
        ORDER BY page_url, rule, item_id""".formatted(b, t)));
    Map<String, Item> after = matched(read("""
        SELECT id, page_url, rule, data, item_key FROM items WHERE crawl_id > %1$d AND crawl_id <= %2$d
        UNION ALL
        SELECT item_id, page_url, rule, data, item_key FROM item_history
        WHERE crawl_id > %1$d AND crawl_id <= %2$d AND removed_in > %2$d
        ORDER BY 2, 3, 1""".formatted(b, t)));
    for (Map.Entry<String, Item> entry : after.entrySet()) {
      Item now = entry.getValue();
      Item was = before.remove(entry.getKey());
      if (was == null) {
        out.accept(new ItemDiff(ItemChange.ADDED, now.rule, now.key, now.pageUrl, now.position, null, now.data));
      } else if (!Objects.equals(was.data, now.data)) {
        out.accept(new ItemDiff(ItemChange.CHANGED, now.rule, now.key, now.pageUrl, now.position, was.data, now.data));
      }
    }
    for (Item was : before.values()) {
      out.accept(new ItemDiff(ItemChange.REMOVED, was.rule, was.key, was.pageUrl, was.position, was.data, null));
    }
  }

  /** The runs in {@code crawls}, oldest first. */
  public List<Run> runs() {
    try {
      read("SELECT count(*) FROM page_versions WHERE 1 = 0").close();
    } catch (StoreException | SQLException e) {
      throw new StoreException(StoreException.Kind.NO_DATABASE, "no page history in the database (no crawl, or one by "
          + "a trawl older than schema version 4: a crawl with this trawl migrates it)", e);
    }
    List<Run> runs = new ArrayList<>();
    try (ResultSet rs = read("SELECT id, started_at, kind FROM crawls ORDER BY id")) {
      while (rs.next()) {
        runs.add(new Run(rs.getLong(1), Instant.parse(rs.getString(2)), rs.getString(3)));
      }
    } catch (SQLException e) {
      throw reader.failure(e);
    }
    if (runs.isEmpty()) {
      throw new StoreException(StoreException.Kind.NO_DATABASE, "no crawl has run on this database");
    }
    return runs;
  }

  /**
   * A row of {@code crawls}.
   *
   * @param kind {@code crawl}, {@code resume} or {@code recrawl}
   */
  public record Run(long id, Instant startedAt, String kind) {}

  private static String describe(List<Run> runs) {
    return "the database (its runs are " + runs.get(0).id() + " to " + runs.get(runs.size() - 1).id() + ")";
  }

  private ResultSet read(String sql) {
    ResultSet rs = reader.query(sql);
    if (rs == null) {
      throw new StoreException(StoreException.Kind.FAILED, "no rows from: " + sql);
    }
    return rs;
  }

  private static void emit(PageHistory history, Consumer<PageDiff> out) {
    if (history != null) {
      out.accept(history.diff());
    }
  }

  /**
   * Items of one side by how they are matched: rule and key for a keyed item; page, rule and
   * position among the rule's unkeyed items on the page for the others.
   */
  private Map<String, Item> matched(ResultSet rs) {
    Map<String, Item> items = new LinkedHashMap<>();
    Map<String, Integer> positions = new HashMap<>();
    try (rs) {
      while (rs.next()) {
        String pageUrl = rs.getString(2);
        String rule = rs.getString(3);
        String key = rs.getString(5);
        if (key != null) {
          items.put("key\n" + rule + "\n" + key, new Item(rule, key, pageUrl, null, rs.getString(4)));
          continue;
        }
        String group = pageUrl + "\n" + rule;
        int position = positions.merge(group, 1, Integer::sum) - 1;
        items.put("page\n" + group + "\n" + position, new Item(rule, null, pageUrl, position, rs.getString(4)));
      }
    } catch (SQLException e) {
      throw reader.failure(e);
    }
    return items;
  }

  private record Item(String rule, String key, String pageUrl, Integer position, String data) {}

  /** One URL's fetches up to the target, folded into its state at the baseline and at the target. */
  private static final class PageHistory {
    private final String url;
    private final long baseline;
    private State before = State.NONE;
    private String hashBefore;
    private State after = State.NONE;
    private String hashAfter;
    private boolean goodInSpan;
    private long lastRun;
    private Integer lastStatus;
    private String lastError;

    private enum State { NONE, CONTENT, GONE }

    PageHistory(String url, long baseline) {
      this.url = url;
      this.baseline = baseline;
    }

    void add(long run, PageChange change, String hash, Integer status, String error) {
      boolean inSpan = run > baseline;
      if (inSpan) {
        lastRun = run;
        lastStatus = status;
        lastError = error;
      }
      if (change == PageChange.FAILED) {
        return; // what the URL holds is not known: the state stays
      }
      State state = change == PageChange.GONE ? State.GONE : State.CONTENT;
      if (inSpan) {
        goodInSpan = true;
      } else {
        before = state;
        hashBefore = hash;
      }
      after = state;
      hashAfter = hash;
    }

    PageDiff diff() {
      if (!goodInSpan) {
        return new PageDiff(url, PageChange.FAILED, lastRun, lastStatus, lastError);
      }
      PageChange change;
      if (after == State.GONE) {
        // Gone before too: its state did not change, so --changes-only leaves it out (a daily diff
        // would list a dead page every day). A page that went, or a dead link found in the span: gone.
        change = before == State.GONE ? PageChange.UNCHANGED : PageChange.GONE;
      } else if (before != State.CONTENT) {
        change = PageChange.NEW;
      } else {
        change = Objects.equals(hashBefore, hashAfter) ? PageChange.UNCHANGED : PageChange.CHANGED;
      }
      return new PageDiff(url, change, lastRun, lastStatus, lastError);
    }
  }
}
