package io.trawl.report;

import io.trawl.dashboard.ChartLibrary;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The report as one HTML file that opens offline: the data as JSON, the page's script, and the
 * chart library (uPlot, with its licence) all inlined, and a Content-Security-Policy that lets
 * the page fetch nothing at all. Text from the crawl (titles, URLs, item data) is only ever put
 * into the page by the script with {@code textContent}, never parsed as HTML. Any thread.
 */
public final class ReportPage {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Z_]+)}}");

  private ReportPage() {}

  /**
   * @param title what the report is of (the database as it may be printed)
   * @param data {@link ReportData#read()}, with {@code generatedAt} added
   */
  public static String html(String title, JsonObject data) {
    Map<String, String> parts = Map.of(
        "TITLE", escapeHtml(title),
        "UPLOT_CSS", new String(ChartLibrary.styles(), StandardCharsets.UTF_8),
        "UPLOT_LICENCE", ChartLibrary.licence().replace("*/", "* /"),
        "UPLOT_JS", inScript(new String(ChartLibrary.script(), StandardCharsets.UTF_8)),
        "REPORT_JS", inScript(resource("io/trawl/report/report.js")),
        "DATA", jsonInScript(data));
    // One pass over the template, so nothing inserted is ever read as a placeholder.
    Matcher m = PLACEHOLDER.matcher(resource("io/trawl/report/report.html"));
    StringBuilder html = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(html, Matcher.quoteReplacement(parts.get(m.group(1))));
    }
    m.appendTail(html);
    return html.toString();
  }

  /**
   * JSON safe inside a {@code <script>} element: {@code <} written as its JSON escape, so no
   * {@code </script>} or {@code <!--} in the crawl's text can end the element early.
   */
  static String jsonInScript(JsonObject data) {
    return data.encode().replace("<", "\\u003c");
  }

  /** A script's text inside a {@code <script>} element: only {@code </script} could end it. */
  private static String inScript(String script) {
    return script.replace("</script", "<\\/script");
  }

  static String escapeHtml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String resource(String path) {
    try (InputStream in = ReportPage.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing from the jar: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
