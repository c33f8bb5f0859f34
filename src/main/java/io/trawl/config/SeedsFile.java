package io.trawl.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a seeds file: UTF-8, one absolute http(s) URL a line; blank lines, lines starting with
 * {@code #} and a {@code  #comment} after the URL are ignored. The first bad line is refused with
 * its number as a {@link SeedException}; so are a missing file and a file without seeds.
 * Duplicates are kept (the frontier dedups). Reading blocks: call it before Vert.x starts or off
 * the event loop.
 */
public final class SeedsFile {
  /** A comment after the URL; a '#' inside the URL (a fragment) has no space before it. */
  private static final Pattern INLINE_COMMENT = Pattern.compile("\\s+#.*$");

  private SeedsFile() {}

  /** The seeds in {@code file}, in file order. */
  public static List<Seed> read(Path file) {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new SeedException(name, 0, "", "does not exist", e);
    } catch (CharacterCodingException e) {
      throw new SeedException(name, 0, "", "is not UTF-8 text", e);
    } catch (AccessDeniedException e) {
      throw new SeedException(name, 0, "", "cannot be read (permission denied)", e);
    } catch (IOException e) {
      throw new SeedException(name, 0, "", "cannot be read (" + e.getMessage() + ")", e);
    }
    return parse(text, name);
  }

  /** The seeds in {@code text}; {@code fileName} names the file in errors. */
  public static List<Seed> parse(String text, String fileName) {
    String[] lines = (text.startsWith("\uFEFF") ? text.substring(1) : text).split("\\R", -1);
    List<Seed> seeds = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String url = INLINE_COMMENT.matcher(line).replaceFirst("");
      int lineNo = i + 1;
      Optional<String> problem = problem(url);
      if (problem.isPresent()) {
        throw new SeedException(fileName, lineNo, url, problem.get());
      }
      seeds.add(new Seed(lineNo, url));
    }
    if (seeds.isEmpty()) {
      throw new SeedException(fileName, 0, "", "has no seeds (only blank lines and comments)");
    }
    return List.copyOf(seeds);
  }

  /** Why {@code url} is not a usable seed, or empty when it is one. */
  private static Optional<String> problem(String url) {
    if (url.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      return Optional.of("contains a space or a control character");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("is not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.of("is not an http(s) URL");
    }
    if (uri.getHost() == null) {
      return Optional.of(uri.getRawAuthority() == null ? "has no host" : "has no valid host name");
    }
    return Optional.empty();
  }
}
