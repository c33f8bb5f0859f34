package io.trawl.fetch;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The pattern of a URL that pages built alike share: its host, its path with the parts that vary
 * from page to page written as placeholders (numbers as {@code {n}}, UUIDs and long hex ids as
 * {@code {id}}, hyphenated slugs of three words or more as {@code {slug}}), and the names of its
 * query parameters without their values. {@code https://shop.example/product/123?ref=x} and
 * {@code .../product/4567?ref=y} are both {@code shop.example/product/{n}?ref}. Stateless.
 */
public final class PathTemplate {
  private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern HEX_ID = Pattern.compile("(?=.*[0-9])[0-9a-fA-F]{16,}");
  private static final Pattern SLUG = Pattern.compile("[\\p{L}\\p{N}]+(?:[-_][\\p{L}\\p{N}]+){2,}(\\.[a-zA-Z0-9]{1,5})?");
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");

  private PathTemplate() {}

  /** The template of {@code url}, or the URL itself when it cannot be parsed. */
  public static String of(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return url;
    }
    StringBuilder template = new StringBuilder();
    template.append(uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT));
    if (uri.getPort() >= 0) {
      template.append(':').append(uri.getPort());
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    List<String> segments = new ArrayList<>();
    for (String segment : path.split("/", -1)) {
      segments.add(segment(segment));
    }
    template.append(String.join("/", segments));
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      TreeSet<String> names = new TreeSet<>();
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        names.add(eq < 0 ? pair : pair.substring(0, eq));
      }
      template.append('?').append(String.join("&", names));
    }
    return template.toString();
  }

  private static String segment(String segment) {
    if (segment.isEmpty()) {
      return segment;
    }
    if (UUID.matcher(segment).matches() || HEX_ID.matcher(segment).matches()) {
      return "{id}";
    }
    var slug = SLUG.matcher(segment);
    if (slug.matches()) {
      return "{slug}" + (slug.group(1) == null ? "" : slug.group(1));
    }
    return DIGITS.matcher(segment).replaceAll("{n}");
  }
}
