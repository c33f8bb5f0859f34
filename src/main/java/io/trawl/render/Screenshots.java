package io.trawl.render;

import io.trawl.bus.DownloadedFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Saves the PNG of a rendered page in {@code download.dir} as a download is saved: named by its
 * SHA-256 ({@code <sha256>.png}, so identical screenshots are stored once), written to a temp file
 * ({@code .trawl-<uuid>.part}, which a later run deletes if this one was killed) and renamed.
 * Asynchronous file system calls; any thread's event loop.
 */
public final class Screenshots {
  private final FileSystem fs;
  private final Path dir;

  public Screenshots(Vertx vertx, Path dir) {
    this.fs = vertx.fileSystem();
    this.dir = dir;
  }

  /** Stores {@code png}; the file it became (or already was). */
  public Future<DownloadedFile> save(byte[] png) {
    String sha = sha256(png);
    String target = dir.resolve(sha + ".png").toString();
    String temp = dir.resolve(".trawl-" + UUID.randomUUID() + ".part").toString();
    return fs.exists(target).compose(exists -> exists
        ? Future.succeededFuture()
        : fs.writeFile(temp, Buffer.buffer(png))
            .compose(v -> fs.move(temp, target, new CopyOptions().setAtomicMove(true).setReplaceExisting(true)))
            .recover(err -> fs.delete(temp).transform(ar -> Future.failedFuture(err))))
        .map(v -> new DownloadedFile(target, png.length, sha, "image/png"));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
