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

  /**
   * Refuses (exit 2) a {@code download.dir} files cannot be written in; does nothing when neither
   * downloads nor screenshots ({@code render.screenshot}) are on.
   */
  static void requireUsable(TrawlConfig config) {
    TrawlConfig.Download download = config.download();
    String why = !download.contentTypes().isEmpty() ? "downloads are on (download.content_types)"
        : config.render().enabled() && config.render().screenshot() ? "screenshots are on (render.screenshot)" : null;
    if (why == null) {
      return;
    }
    Path dir = download.dir().toAbsolutePath();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw refused(dir, "is not a directory", why);
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw refused(dir, "cannot be created (" + reason(e) + ")", why);
    }
    try {
      Files.delete(Files.createTempFile(dir, ".trawl-check-", ".tmp"));
    } catch (IOException e) {
      throw refused(dir, "cannot be written in (" + reason(e) + ")", why);
    }
  }

  private static BadInputException refused(Path dir, String problem, String why) {
    return new BadInputException("download.dir: " + dir + " " + problem + "; " + why + ", so every one would fail");
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
