package io.trawl.fetch;

import io.trawl.config.TrawlConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which responses are saved as files ({@code download.*}) and what their files are called:
 * {@code <sha256>.<ext>}, the extension from the content type, else from the URL, else {@code bin}.
 * Immutable; any thread.
 */
final class Downloads {
  static final Downloads NONE = new Downloads(List.of(), Path.of("downloads"), 0);
  private static final Map<String, String> EXTENSIONS = Map.ofEntries(
      Map.entry("image/jpeg", "jpg"),
      Map.entry("image/png", "png"),
      Map.entry("image/gif", "gif"),
      Map.entry("image/webp", "webp"),
      Map.entry("image/svg+xml", "svg"),
      Map.entry("image/avif", "avif"),
      Map.entry("image/x-icon", "ico"),
      Map.entry("application/pdf", "pdf"),
      Map.entry("application/zip", "zip"),
      Map.entry("application/gzip", "gz"),
      Map.entry("application/json", "json"),
      Map.entry("text/csv", "csv"),
      Map.entry("text/plain", "txt"),
      Map.entry("video/mp4", "mp4"),
      Map.entry("audio/mpeg", "mp3"));
  /** A URL path extension worth keeping: short, letters and digits, at least one letter. */
  private static final Pattern SANE_EXTENSION = Pattern.compile("(?=.*[a-z])[a-z0-9]{1,8}");

  private final List<String> ranges;
  private final Path dir;
  private final long maxBytes;

  Downloads(TrawlConfig.Download config) {
    this(config.contentTypes(), config.dir(), config.maxSize().bytes());
  }

  private Downloads(List<String> ranges, Path dir, long maxBytes) {
    this.ranges = List.copyOf(ranges);
    this.dir = dir;
    this.maxBytes = maxBytes;
  }

  Path dir() {
    return dir;
  }

  long maxBytes() {
    return maxBytes;
  }

  /** Whether a response with this Content-Type header is saved as a file. */
  boolean matches(String contentType) {
    if (ranges.isEmpty()) {
      return false;
    }
    String type = mediaType(contentType);
    if (type == null) {
      return false;
    }
    for (String range : ranges) {
      if (range.equals("*/*") || range.equals(type)
          || range.endsWith("/*") && type.startsWith(range.substring(0, range.length() - 1))) {
        return true;
      }
    }
    return false;
  }

  /** The file name for content hashed to {@code sha256}, served as {@code contentType} from {@code url}. */
  static String fileName(String sha256, String contentType, String url) {
    return sha256 + "." + extension(contentType, url);
  }

  static String extension(String contentType, String url) {
    String known = EXTENSIONS.get(String.valueOf(mediaType(contentType)));
    if (known != null) {
      return known;
    }
    String path;
    try {
      path = URI.create(url).getPath();
    } catch (IllegalArgumentException e) {
      path = null;
    }
    if (path != null) {
      String last = path.substring(path.lastIndexOf('/') + 1);
      int dot = last.lastIndexOf('.');
      String ext = dot < 0 ? "" : last.substring(dot + 1).toLowerCase(Locale.ROOT);
      if (dot > 0 && SANE_EXTENSION.matcher(ext).matches()) {
        return ext;
      }
    }
    return "bin";
  }

  /** {@code Image/PNG; charset=x} → {@code image/png}; null when there is no type. */
  private static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    return type.isEmpty() ? null : type;
  }
}
