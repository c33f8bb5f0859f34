package io.trawl.bus;

import io.vertx.core.json.JsonObject;

/**
 * A response body saved as a file under {@code download.dir}: becomes the URL's {@code downloads}
 * row, written with its page row.
 *
 * @param path the file, {@code <download.dir>/<sha256>.<ext>}
 * @param bytes the file's size
 * @param sha256 lowercase hex SHA-256 of the file (also its name)
 */
public record DownloadedFile(String path, long bytes, String sha256) {
  public JsonObject toJson() {
    return new JsonObject().put("path", path).put("bytes", bytes).put("sha256", sha256);
  }

  /** The file in {@code json}, or null when there is none. */
  public static DownloadedFile fromJson(JsonObject json) {
    return json == null ? null
        : new DownloadedFile(json.getString("path"), json.getLong("bytes"), json.getString("sha256"));
  }
}
