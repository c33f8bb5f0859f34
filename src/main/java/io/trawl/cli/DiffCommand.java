package io.trawl.cli;

import io.trawl.core.PageChange;
import io.trawl.store.RunDiff;
import io.trawl.store.StoreException;
import io.trawl.store.StoreReader;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code trawl diff}: what changed between two states of the database (by default the last pass,
 * a crawl or recrawl with its resumes, against the state before it): pages new, changed,
 * unchanged, gone or failed, then items added, changed or removed, as a table, JSON lines or CSV.
 * The counts go to stderr. Main thread.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = "What changed between the last two runs (a run's resumes count with it), or since a run or a date: "
        + "pages new, changed, unchanged, gone, failed; items added, changed, removed.")
final class DiffCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DbOptions dbOptions;

  @Option(names = "--since", paramLabel = "RUN|DATE",
      description = "Compare with the state run RUN (an id of crawls) left, or the last run started before DATE "
          + "(2026-12-01 or 2026-12-01T06:00:00Z), instead of the run before the last.")
  String since;

  @Option(names = {"--jsonl", "--json"}, description = "One JSON object per line.")
  boolean jsonl;

  @Option(names = "--csv", description = "CSV with a header row.")
  boolean csv;

  @Option(names = "--changes-only", description = "Leave out the pages that did not change.")
  boolean changesOnly;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (jsonl && csv) {
      err.println("trawl: --jsonl and --csv exclude each other");
      return Main.BAD_INPUT;
    }
    try (StoreReader reader = dbOptions.resolve().openReader()) {
      RunDiff diff = new RunDiff(reader);
      RunDiff.Span span = span(diff);
      Output output = jsonl ? new JsonLines(out) : csv ? new CsvLines(out) : new Table(out);
      Map<PageChange, Integer> pages = new EnumMap<>(PageChange.class);
      Map<RunDiff.ItemChange, Integer> items = new EnumMap<>(RunDiff.ItemChange.class);
      diff.pages(span, page -> {
        pages.merge(page.change(), 1, Integer::sum);
        if (!(changesOnly && page.change() == PageChange.UNCHANGED)) {
          output.page(page);
        }
      });
      diff.items(span, item -> {
        items.merge(item.change(), 1, Integer::sum);
        output.item(item);
      });
      output.end();
      err.println(summary(span, pages, items));
      return Main.OK;
    } catch (BadInputException e) {
      err.println("trawl: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (StoreException e) {
      err.println("trawl: diff: " + e.getMessage());
      return e.kind().badInput() ? Main.BAD_INPUT : Main.FAILED;
    }
  }

  private RunDiff.Span span(RunDiff diff) {
    if (since == null) {
      return diff.lastPass();
    }
    if (since.matches("[0-9]{1,18}")) {
      return diff.sinceRun(Long.parseLong(since));
    }
    try {
      return diff.since(since.contains("T") ? Instant.parse(since)
          : LocalDate.parse(since).atStartOfDay(ZoneOffset.UTC).toInstant());
    } catch (DateTimeParseException e) {
      throw new BadInputException("--since: expected a run id (e.g. 3) or a date (2026-12-01, or "
          + "2026-12-01T06:00:00Z), got \"" + since + "\"");
    }
  }

  private static String summary(RunDiff.Span span, Map<PageChange, Integer> pages, Map<RunDiff.ItemChange, Integer> items) {
    String from = span.baseline() == 0 ? "an empty database" : "run " + span.baseline();
    return String.format(Locale.ROOT, "after %s -> after run %d: pages %d new, %d changed, %d unchanged, %d gone, "
            + "%d failed; items %d added, %d changed, %d removed", from, span.target(),
        pages.getOrDefault(PageChange.NEW, 0), pages.getOrDefault(PageChange.CHANGED, 0),
        pages.getOrDefault(PageChange.UNCHANGED, 0), pages.getOrDefault(PageChange.GONE, 0),
        pages.getOrDefault(PageChange.FAILED, 0), items.getOrDefault(RunDiff.ItemChange.ADDED, 0),
        items.getOrDefault(RunDiff.ItemChange.CHANGED, 0), items.getOrDefault(RunDiff.ItemChange.REMOVED, 0));
  }

  /** How the rows are written: one page or item at a time. */
  private interface Output {
    void page(RunDiff.PageDiff page);

    void item(RunDiff.ItemDiff item);

    void end();
  }

  private static String word(Enum<?> change) {
    return change.name().toLowerCase(Locale.ROOT);
  }

  private static String fetched(RunDiff.PageDiff page) {
    return page.error() != null ? page.error() : page.status() == null ? null : String.valueOf(page.status());
  }

  /** An aligned table for a terminal; items show the fields that changed. */
  private static final class Table implements Output {
    private final PrintWriter out;
    private final List<String[]> rows = new ArrayList<>();

    Table(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void page(RunDiff.PageDiff page) {
      rows.add(new String[] {"page", word(page.change()), page.url(), "", "", "run " + page.run() + ": "
          + Objects.requireNonNullElse(fetched(page), "")});
    }

    @Override
    public void item(RunDiff.ItemDiff item) {
      String detail = switch (item.change()) {
        case ADDED -> item.after();
        case REMOVED -> item.before();
        case CHANGED -> changedFields(item.before(), item.after());
      };
      rows.add(new String[] {"item", word(item.change()), item.pageUrl(), item.rule(),
          item.key() != null ? item.key() : "#" + item.position(), detail});
    }

    @Override
    public void end() {
      RowWriter.table(new String[] {"what", "change", "url", "rule", "key", "detail"}, rows, out);
      out.flush();
    }

    /** {@code price: 10 -> 12; stock: "in" -> "out"}: the fields whose values differ. */
    private static String changedFields(String before, String after) {
      try {
        JsonObject was = new JsonObject(before);
        JsonObject now = new JsonObject(after);
        Set<String> fields = new LinkedHashSet<>(was.fieldNames());
        fields.addAll(now.fieldNames());
        return fields.stream()
            .filter(f -> !Objects.equals(was.getValue(f), now.getValue(f)))
            .map(f -> f + ": " + shown(was.getValue(f)) + " -> " + shown(now.getValue(f)))
            .collect(Collectors.joining("; "));
      } catch (DecodeException e) {
        return before + " -> " + after;
      }
    }

    private static String shown(Object value) {
      return value == null ? "null" : value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
  }

  /** One JSON object per page or item. */
  private static final class JsonLines implements Output {
    private final PrintWriter out;

    JsonLines(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void page(RunDiff.PageDiff page) {
      out.println(new JsonObject().put("type", "page").put("change", word(page.change())).put("url", page.url())
          .put("run", page.run()).put("status", page.status()).put("error", page.error()).encode());
    }

    @Override
    public void item(RunDiff.ItemDiff item) {
      out.println(new JsonObject().put("type", "item").put("change", word(item.change())).put("url", item.pageUrl())
          .put("rule", item.rule()).put("key", item.key()).put("position", item.position())
          .put("before", item.before() == null ? null : new JsonObject(item.before()))
          .put("after", item.after() == null ? null : new JsonObject(item.after())).encode());
    }

    @Override
    public void end() {
      out.flush();
    }
  }

  /** CSV: one row per page or item, the items' data as JSON text. */
  private static final class CsvLines implements Output {
    private final PrintWriter out;

    CsvLines(PrintWriter out) {
      this.out = out;
      out.println(Csv.line(List.of("type", "change", "url", "rule", "key", "position", "status", "error", "before",
          "after")));
    }

    @Override
    public void page(RunDiff.PageDiff page) {
      out.println(Csv.line(java.util.Arrays.asList("page", word(page.change()), page.url(), null, null, null,
          page.status() == null ? null : String.valueOf(page.status()), page.error(), null, null)));
    }

    @Override
    public void item(RunDiff.ItemDiff item) {
      out.println(Csv.line(java.util.Arrays.asList("item", word(item.change()), item.pageUrl(), item.rule(), item.key(),
          item.position() == null ? null : String.valueOf(item.position()), null, null, item.before(), item.after())));
    }

    @Override
    public void end() {
      out.flush();
    }
  }
}
