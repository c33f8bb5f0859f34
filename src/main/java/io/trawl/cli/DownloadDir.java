package io.trawl.cli;

import io.trawl.config.TrawlConfig;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks {@code download.dir} before a crawl starts, when downloads are on: a directory trawl
 * cannot create or write in would fail every download as {@code file} while the crawl itself
 * went on and exited 0. Creates the directory (the first download would) and writes and deletes a
 * probe file in it, which asks the filesystem itself rather than trusting permission bits (root,
 * read-only mounts, ACLs). Main thread, before anything else runs.
 */
final class DownloadDir {
  private DownloadDir() {}

  /** Refuses (exit 2) a {@code download.dir} files cannot be written in; does nothing when downloads are off. */
  static void requireUsable(TrawlConfig.Download download) {
    if (download.contentTypes().isEmpty()) {
      return;
    }
    Path dir = download.dir().toAbsolutePath();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw refused(dir, "is not a directory");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw refused(dir, "cannot be created (" + reason(e) + ")");
    }
    try {
      Files.delete(Files.createTempFile(dir, ".trawl-check-", ".tmp"));
    } catch (IOException e) {
      throw refused(dir, "cannot be written in (" + reason(e) + ")");
    }
  }

  private static BadInputException refused(Path dir, String problem) {
    return new BadInputException("download.dir: " + dir + " " + problem
        + "; downloads are on (download.content_types), so every one would fail");
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
