package io.trawl.cli;

import io.trawl.PageTrial;
import io.trawl.parse.RuleTrial;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes what {@code trawl try} found: as text for a person (items as pretty JSON, each empty field
 * with its selector and match count, the links grouped by what the crawl would do with them), or
 * as one JSON object with {@code --json}. Main thread.
 */
final class TrialPrinter {
  private static final int SHOWN_TEXT_CHARS = 200;
  /** Link verdicts in the order they are shown, with what each means. */
  private static final Map<String, String> VERDICTS = new LinkedHashMap<>();

  static {
    VERDICTS.put(PageTrial.FOLLOW, "would follow");
    VERDICTS.put(PageTrial.DOWNLOAD, "would download (a download.from_fields field names it)");
    VERDICTS.put(PageTrial.NOT_IN_FOLLOW_REGION, "not followed: outside the follow regions of the rules");
    VERDICTS.put(PageTrial.TOO_DEEP, "not followed: too deep");
    VERDICTS.put(PageTrial.OUT_OF_SCOPE, "not followed: out of scope (crawl.allowed_domains, include, exclude;"
        + " by default the page's host)");
    VERDICTS.put(PageTrial.ROBOTS, "not followed: robots.txt disallows them");
  }

  private TrialPrinter() {}

  static void text(PageTrial.Result result, int depth, int maxDepth, PrintWriter out) {
    page(result.page(), result.title(), out);
    for (RuleTrial.RuleReport rule : result.rules().rules()) {
      out.println();
      rule(rule, out);
    }
    if (result.rules().rules().isEmpty()) {
      out.println();
      out.println("no rules in the config: only the links are shown");
    }
    if (result.rules().invalidJsonLd() > 0) {
      out.println();
      out.println("JSON-LD: " + result.rules().invalidJsonLd() + " block(s) skipped: not valid JSON");
    }
    out.println();
    links(result, depth, maxDepth, out);
    out.flush();
  }

  private static void page(PageTrial.Page page, String title, PrintWriter out) {
    out.println("page    " + page.url() + (page.finalUrl().equals(page.url()) ? "" : " -> " + page.finalUrl()));
    out.println("        " + page.status() + " " + page.contentType() + ", " + page.body().length + " bytes"
        + (page.elapsedMs() > 0 ? ", " + page.elapsedMs() + " ms" : "") + (title == null ? "" : ", title \"" + title + "\""));
    out.println("robots  " + switch (page.robots()) {
      case "allowed" -> "robots.txt allows it";
      case "not obeyed" -> "not obeyed (fetch.respect_robots: false)";
      default -> "not checked (--file: nothing was fetched)";
    });
  }

  private static void rule(RuleTrial.RuleReport rule, PrintWriter out) {
    String pattern = "its url pattern \"" + rule.urlPattern() + "\" is not found in the page's URL";
    if (!rule.ran()) {
      out.println("rule " + rule.name() + ": not run: " + pattern);
      return;
    }
    String from = rule.select().isEmpty() ? "one item per page"
        : rule.selectMatches() + " match(es) of select \"" + rule.select() + "\"";
    out.println("rule " + rule.name() + ": " + rule.items().size() + " item(s) from " + from
        + (rule.urlMatches() ? "" : " (run because of --rule: " + pattern + ")"));
    if (!rule.items().isEmpty()) {
      out.println(rule.items().encodePrettily());
    }
    if (rule.keys().stream().anyMatch(key -> key != null)) {
      out.println("  keys: " + String.join(", ", rule.keys().stream().map(String::valueOf).toList()));
    }
    List<RuleTrial.EmptyField> kept = rule.emptyFields().stream().filter(f -> !rule.dropped().containsKey(f.match())).toList();
    if (!kept.isEmpty()) {
      out.println("  empty fields:");
      // One line per field and explanation, naming the items it holds for: "in 10 of 10 items".
      Map<String, List<Integer>> same = new LinkedHashMap<>();
      kept.forEach(f -> same.computeIfAbsent(f.field() + ": " + explanation(f), k -> new ArrayList<>()).add(f.match()));
      same.forEach((line, matches) -> {
        int colon = line.indexOf(": ");
        out.println("    " + line.substring(0, colon) + " (" + items(rule, matches) + "): " + line.substring(colon + 2));
      });
    }
    if (!rule.dropped().isEmpty()) {
      out.println("  dropped as incomplete (a required or key field is empty):");
      rule.dropped().forEach((match, data) -> {
        out.println("    match " + match + ": " + shorten(data.encode()));
        rule.emptyFields().stream().filter(f -> f.match() == match)
            .forEach(f -> out.println("      " + emptyField(rule, f) + (f.dropped() ? "  <- dropped it" : "")));
      });
    }
    rule.follow().ifPresent(follow -> out.println("  follow: only links inside " + (follow.isEmpty() ? "no region (follow: [])"
        : String.join(", ", follow))));
  }

  private static String emptyField(RuleTrial.RuleReport rule, RuleTrial.EmptyField f) {
    return f.field() + ": " + explanation(f);
  }

  private static String explanation(RuleTrial.EmptyField f) {
    return f.source() + " matched " + f.matched() + (f.source().startsWith("jsonld") ? " value(s)" : " element(s)")
        + ": " + f.reason();
  }

  /** Which kept items a line holds for: "the item", "in 10 of 10 items", or "items 2, 5 of 10" (by select match). */
  private static String items(RuleTrial.RuleReport rule, List<Integer> matches) {
    int total = rule.items().size();
    if (rule.select().isEmpty()) {
      return "the item";
    }
    if (matches.size() == total) {
      return "in " + total + " of " + total + " items";
    }
    return "match" + (matches.size() == 1 ? " " : "es ") + String.join(", ", matches.stream().map(String::valueOf).toList())
        + " of " + rule.selectMatches();
  }

  private static void links(PageTrial.Result result, int depth, int maxDepth, PrintWriter out) {
    Map<String, List<String>> byVerdict = new LinkedHashMap<>();
    VERDICTS.keySet().forEach(v -> byVerdict.put(v, new ArrayList<>()));
    result.links().forEach(link -> byVerdict.get(link.verdict()).add(link.url()));
    long followed = byVerdict.get(PageTrial.FOLLOW).size() + byVerdict.get(PageTrial.DOWNLOAD).size();
    out.println("links: " + result.links().size() + " (" + followed + " would be queued)");
    byVerdict.forEach((verdict, urls) -> {
      if (urls.isEmpty()) {
        return;
      }
      String meaning = VERDICTS.get(verdict);
      if (verdict.equals(PageTrial.TOO_DEEP)) {
        meaning += " (the page is at depth " + depth + ", crawl.max_depth is " + maxDepth + ")";
      }
      out.println("  " + meaning + " (" + urls.size() + "):");
      urls.forEach(url -> out.println("    " + url));
    });
    if (result.robotsOrigin() != null) {
      out.println("robots.txt was checked for the links to " + result.robotsOrigin() + " only; a crawl reads other"
          + " hosts' robots.txt when it gets to them.");
    } else {
      out.println("robots.txt was not checked for the links.");
    }
  }

  static void matches(PageTrial.Page page, String selector, List<PageTrial.Match> matches, PrintWriter out) {
    page(page, null, out);
    out.println();
    out.println(matches.size() + " match(es) of " + selector);
    int n = 1;
    for (PageTrial.Match match : matches) {
      String attributes = match.attributes().isEmpty() ? "" : " " + String.join(" ", match.attributes());
      out.println(n++ + ". <" + match.tag() + shorten(attributes) + "> " + shorten(match.text()));
    }
    out.flush();
  }

  static JsonObject json(PageTrial.Result result) {
    JsonArray rules = new JsonArray();
    for (RuleTrial.RuleReport rule : result.rules().rules()) {
      JsonArray empty = new JsonArray();
      rule.emptyFields().forEach(f -> empty.add(new JsonObject().put("match", f.match()).put("field", f.field())
          .put("source", f.source()).put("matched", f.matched()).put("reason", f.reason()).put("dropped", f.dropped())));
      JsonArray dropped = new JsonArray();
      rule.dropped().forEach((match, data) -> dropped.add(new JsonObject().put("match", match).put("data", data)));
      rules.add(new JsonObject()
          .put("name", rule.name())
          .put("urlMatches", rule.urlMatches())
          .put("ran", rule.ran())
          .put("selectMatches", rule.selectMatches())
          .put("items", rule.items())
          .put("keys", new JsonArray(new ArrayList<Object>(rule.keys())))
          .put("dropped", dropped)
          .put("emptyFields", empty)
          .put("follow", rule.follow().map(f -> new JsonArray(new ArrayList<Object>(f))).orElse(null)));
    }
    JsonArray links = new JsonArray();
    result.links().forEach(link -> links.add(new JsonObject().put("url", link.url()).put("verdict", link.verdict())
        .put("robotsChecked", link.robotsChecked())));
    return new JsonObject()
        .put("page", page(result.page()).put("title", result.title()))
        .put("rules", rules)
        .put("invalidJsonLd", result.rules().invalidJsonLd())
        .put("links", links)
        .put("robotsCheckedFor", result.robotsOrigin());
  }

  static JsonObject json(PageTrial.Page page, String selectorKind, String selector, List<PageTrial.Match> matches) {
    JsonArray found = new JsonArray();
    matches.forEach(m -> found.add(new JsonObject().put("tag", m.tag())
        .put("attributes", new JsonArray(new ArrayList<Object>(m.attributes()))).put("text", m.text())));
    return new JsonObject().put("page", page(page)).put(selectorKind, selector).put("matches", found);
  }

  private static JsonObject page(PageTrial.Page page) {
    return new JsonObject()
        .put("url", page.url())
        .put("finalUrl", page.finalUrl())
        .put("status", page.status())
        .put("contentType", page.contentType())
        .put("bytes", page.body().length)
        .put("elapsedMs", page.elapsedMs())
        .put("robots", page.robots());
  }

  /** One line of at most {@value #SHOWN_TEXT_CHARS} characters, control characters shown as escapes. */
  private static String shorten(String text) {
    StringBuilder shown = new StringBuilder();
    for (int i = 0; i < text.length() && shown.length() < SHOWN_TEXT_CHARS; i++) {
      char c = text.charAt(i);
      shown.append(c == '\n' || c == '\r' || c == '\t' ? " " : Character.isISOControl(c) ? String.format("\\u%04x", (int) c)
          : String.valueOf(c));
    }
    return text.length() > SHOWN_TEXT_CHARS ? shown + "…" : shown.toString();
  }
}
