package io.trawl.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a seeds file: one absolute http(s) URL per line, blank lines and {@code #} comments
 * ignored (also after a URL, following a space). The first bad line is refused with its number.
 */
public final class SeedsFile {
  /** One seed and the line it came from. */
  public record Seed(int line, String url) {}

  private SeedsFile() {}

  public static List<Seed> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SeedException(file, 0, null, "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
    return parse(text, file);
  }

  public static List<Seed> parse(String text, Path file) {
    List<Seed> seeds = new ArrayList<>();
    String[] lines = text.split("\r?\n|\r", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (i == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1).strip();
      }
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int comment = line.indexOf(" #");
      if (comment >= 0) {
        line = line.substring(0, comment).strip();
      }
      String reason = problem(line);
      if (reason != null) {
        throw new SeedException(file, i + 1, line, reason);
      }
      seeds.add(new Seed(i + 1, line));
    }
    if (seeds.isEmpty()) {
      throw new SeedException(file, 0, null, "has no seed URLs (one http(s) URL per line)");
    }
    return seeds;
  }

  /** Why {@code url} is not a usable seed, or null. */
  private static String problem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "is not a valid URL (" + e.getReason() + ")";
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      return "is not an http(s) URL";
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return "has no host";
    }
    return null;
  }
}
