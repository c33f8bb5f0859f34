package io.trawl.bus;

/**
 * A response body saved as a file under {@code download.dir}: becomes the URL's {@code downloads}
 * row, written with its page row.
 *
 * @param path the file, {@code <download.dir>/<sha256>.<ext>}
 * @param bytes the file's size
 * @param sha256 lowercase hex SHA-256 of the file (also its name)
 */
public record DownloadedFile(String path, long bytes, String sha256) {}
