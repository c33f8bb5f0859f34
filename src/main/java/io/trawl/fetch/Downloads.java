package io.trawl.fetch;

import io.trawl.config.TrawlConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which responses are saved as files ({@code download.*}) and what their files are called:
 * {@code <sha256>.<ext>}, the extension looked up from the content type in a fixed list, else
 * {@code bin}. Never from the URL or anything else the server chooses: {@code /dl/y.php} served as
 * {@code application/octet-stream} must not become a {@code .php} file in a directory someone may
 * serve. Immutable; any thread.
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
      Map.entry("image/bmp", "bmp"),
      Map.entry("image/tiff", "tif"),
      Map.entry("application/pdf", "pdf"),
      Map.entry("application/zip", "zip"),
      Map.entry("application/gzip", "gz"),
      Map.entry("application/x-tar", "tar"),
      Map.entry("application/json", "json"),
      Map.entry("application/xml", "xml"),
      Map.entry("text/xml", "xml"),
      Map.entry("application/epub+zip", "epub"),
      Map.entry("application/msword", "doc"),
      Map.entry("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
      Map.entry("application/vnd.ms-excel", "xls"),
      Map.entry("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
      Map.entry("application/vnd.ms-powerpoint", "ppt"),
      Map.entry("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
      Map.entry("application/vnd.oasis.opendocument.text", "odt"),
      Map.entry("application/vnd.oasis.opendocument.spreadsheet", "ods"),
      Map.entry("text/csv", "csv"),
      Map.entry("text/plain", "txt"),
      Map.entry("video/mp4", "mp4"),
      Map.entry("video/webm", "webm"),
      Map.entry("audio/mpeg", "mp3"),
      Map.entry("audio/ogg", "ogg"),
      Map.entry("audio/wav", "wav"));

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

  /** The file name for content hashed to {@code sha256}, served as {@code contentType}. */
  static String fileName(String sha256, String contentType) {
    return sha256 + "." + extension(contentType);
  }

  /** The extension of a known content type, else {@code bin}. */
  static String extension(String contentType) {
    return EXTENSIONS.getOrDefault(String.valueOf(mediaType(contentType)), "bin");
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
