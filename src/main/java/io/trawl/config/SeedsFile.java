package io.trawl.config;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
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
 * its number as a {@link SeedException}; so are a missing file, a file without seeds, a file over
 * {@link #MAX_BYTES} and a line over {@link #MAX_LINE_CHARS}, found while reading, so that an
 * endless file ({@code /dev/zero}) is refused rather than read until the heap runs out; and a URL
 * with user info ({@code user:password@host}), which trawl never requests (quoted with the user
 * info masked, so the refusal does not print a password).
 * Duplicates are kept (the frontier dedups). Reading blocks: call it before Vert.x starts or off
 * the event loop.
 */
public final class SeedsFile {
  /**
   * The most bytes a seeds file may hold. Its seeds are held in memory until the frontier has
   * them: 64 MB is about 1.4 million URLs of 45 characters, about what a crawl holds under the
   * launcher's default 512 MB heap (measured: 487 MB peak).
   */
  public static final long MAX_BYTES = 64L << 20;
  /** The most characters a line may have, comment included: far more than a URL needs. */
  public static final int MAX_LINE_CHARS = 8192;

  /** A comment after the URL; a '#' inside the URL (a fragment) has no space before it. */
  private static final Pattern INLINE_COMMENT = Pattern.compile("\\s+#.*$");
  private static final int CHUNK_CHARS = 8192;

  private SeedsFile() {}

  /** The seeds in {@code file}, in file order. */
  public static List<Seed> read(Path file) {
    return read(file, MAX_BYTES, MAX_LINE_CHARS);
  }

  /** The seeds in {@code file}, refusing a file over {@code maxBytes} or a line over {@code maxLineChars}. */
  static List<Seed> read(Path file, long maxBytes, int maxLineChars) {
    String name = file.toString();
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, name, maxBytes, maxLineChars);
    } catch (NoSuchFileException e) {
      throw new SeedException(name, 0, "", "does not exist", e);
    } catch (AccessDeniedException e) {
      throw new SeedException(name, 0, "", "cannot be read (permission denied)", e);
    } catch (IOException e) {
      throw new SeedException(name, 0, "", "cannot be read (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The seeds read from {@code in} (standard input for {@code --seeds -}), under the same caps as a
   * file; {@code name} names the source in errors ({@code stdin:3: ...}). Does not close {@code in}.
   */
  public static List<Seed> read(InputStream in, String name) {
    return read(in, name, MAX_BYTES, MAX_LINE_CHARS);
  }

  private static List<Seed> read(InputStream in, String name, long maxBytes, int maxLineChars) {
    Reader text = new InputStreamReader(new CappedInputStream(in, maxBytes), StandardCharsets.UTF_8.newDecoder());
    try {
      return parse(text, name, maxLineChars);
    } catch (CharacterCodingException e) {
      throw new SeedException(name, 0, "", "is not UTF-8 text", e);
    } catch (TooLargeException e) {
      throw new SeedException(name, 0, "",
          "is larger than " + DataSizes.format(new DataSize(maxBytes)) + ", the most a seeds file may hold", e);
    } catch (IOException e) {
      throw new SeedException(name, 0, "", "cannot be read (" + e.getMessage() + ")", e);
    }
  }

  /** The seeds in {@code text}; {@code fileName} names the file in errors. */
  public static List<Seed> parse(String text, String fileName) {
    try {
      return parse(new StringReader(text), fileName, MAX_LINE_CHARS);
    } catch (IOException e) {
      throw new UncheckedIOException("a StringReader does not fail", e);
    }
  }

  /**
   * The seeds read from {@code text} line by line, never holding more than one line: a line ends
   * at any Unicode line break ({@code \R}), {@code \r\n} counting as one.
   */
  private static List<Seed> parse(Reader text, String fileName, int maxLineChars) throws IOException {
    List<Seed> seeds = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    char[] chunk = new char[CHUNK_CHARS];
    int lineNo = 1;
    boolean start = true;
    boolean afterCr = false;
    for (int n = text.read(chunk); n >= 0; n = text.read(chunk)) {
      for (int i = 0; i < n; i++) {
        char c = chunk[i];
        boolean byteOrderMark = start && c == '\uFEFF';
        boolean secondHalfOfCrLf = afterCr && c == '\n';
        start = false;
        afterCr = c == '\r';
        if (byteOrderMark || secondHalfOfCrLf) {
          continue;
        }
        if (isLineBreak(c)) {
          addSeed(seeds, line.toString(), lineNo++, fileName);
          line.setLength(0);
        } else if (line.length() == maxLineChars) {
          throw new SeedException(fileName, lineNo, "",
              "is longer than " + maxLineChars + " characters, the most a seeds line may hold");
        } else {
          line.append(c);
        }
      }
    }
    addSeed(seeds, line.toString(), lineNo, fileName);
    if (seeds.isEmpty()) {
      throw new SeedException(fileName, 0, "", "has no seeds (only blank lines and comments)");
    }
    return List.copyOf(seeds);
  }

  private static boolean isLineBreak(char c) {
    return switch (c) {
      case '\n', '\u000B', '\f', '\r', '\u0085', '\u2028', '\u2029' -> true;
      default -> false;
    };
  }

  private static void addSeed(List<Seed> seeds, String rawLine, int lineNo, String fileName) {
    String line = rawLine.strip();
    if (line.isEmpty() || line.startsWith("#")) {
      return;
    }
    String url = INLINE_COMMENT.matcher(line).replaceFirst("");
    Optional<String> problem = problem(url);
    if (problem.isPresent()) {
      throw new SeedException(fileName, lineNo, masked(url), problem.get());
    }
    seeds.add(new Seed(lineNo, url));
  }

  /** {@code url} as it may be shown in an error: its user info ({@code user:password@}) as {@code ***}. */
  public static String masked(String url) {
    int userInfoEnd = userInfoEnd(url);
    return userInfoEnd < 0 ? url : url.substring(0, url.indexOf("//") + 2) + "***" + url.substring(userInfoEnd);
  }

  /**
   * The index of the last {@code @} in the authority of {@code url} (after {@code scheme://}, before the
   * first {@code / ? #} or backslash: where a browser and trawl's normalizer end it), or -1 when
   * there is none.
   */
  private static int userInfoEnd(String url) {
    int start = url.indexOf("//");
    if (start < 0 || start != url.indexOf(':') + 1) {
      return -1;
    }
    int end = start + 2;
    while (end < url.length() && "/?#\\".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    int at = url.lastIndexOf('@', end - 1);
    return at > start + 1 ? at : -1;
  }

  /**
   * Why {@code url} is not a usable seed, or empty when it is one: a phrase completing the URL,
   * like {@code is not an http(s) URL}. Also for seeds given elsewhere than in a file (command-line
   * arguments); show the URL with {@link #masked}.
   */
  public static Optional<String> problem(String url) {
    if (userInfoEnd(url) >= 0) {
      return Optional.of("has user info (user:password@), which trawl refuses: "
          + "it would send credentials in the clear and store them, and it can hide the host a URL goes to");
    }
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

  /** Fails with {@link TooLargeException} once more than {@code maxBytes} have been read. */
  private static final class CappedInputStream extends FilterInputStream {
    private final long maxBytes;
    private long bytesRead;

    CappedInputStream(InputStream in, long maxBytes) {
      super(in);
      this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      count(Math.max(n, 0));
      return n;
    }

    private void count(int n) throws TooLargeException {
      bytesRead += n;
      if (bytesRead > maxBytes) {
        throw new TooLargeException();
      }
    }
  }

  /** The file holds more than the cap allows. */
  private static final class TooLargeException extends IOException {
    TooLargeException() {
      super("over the seeds file cap");
    }
  }
}
