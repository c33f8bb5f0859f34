package io.trawl.bus;

/**
 * A response body saved as a file under {@code download.dir}: becomes the URL's {@code downloads}
 * row, written with its page row.
 *
 * @param path the file, {@code <download.dir>/<sha256>.<ext>}
 * @param bytes the file's size
 * @param sha256 lowercase hex SHA-256 of the file (also its name)
 * @param contentType the file's media type when it is not the page's Content-Type (a screenshot's
 *     {@code image/png}), or null
 */
public record DownloadedFile(String path, long bytes, String sha256, String contentType) {
  /** A response body saved as it came: its type is the page's. */
  public DownloadedFile(String path, long bytes, String sha256) {
    this(path, bytes, sha256, null);
  }
}
