package io.trawl.fetch;

import io.trawl.bus.DownloadedFile;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One response body on its way to {@code download.dir}: written to a temp file
 * ({@code .trawl-<uuid>.part}) through an {@link AsyncFile} while its SHA-256 is computed, then
 * renamed to {@code <sha256>.<ext>}, or deleted when that file already exists (same bytes, stored
 * once) or when the download fails. Never holds more than the file's write queue in memory. Event
 * loop of the fetch that owns it.
 */
final class FileDownload implements BodySink {
  private static final Logger log = LoggerFactory.getLogger(FileDownload.class);

  private enum State { OPENING, WRITING, FINISHING, DONE, ABORTED }

  private static final String TEMP_PREFIX = ".trawl-";
  private static final String TEMP_SUFFIX = ".part";

  private final FileSystem fs;
  private final Downloads downloads;
  private final String tempPath;
  private final MessageDigest sha256;
  private State state = State.OPENING;
  private AsyncFile file;
  private Future<Void> opening = Future.succeededFuture();
  private long bytes;
  private Handler<Throwable> errorHandler = err -> {};

  FileDownload(Vertx vertx, Downloads downloads) {
    this.fs = vertx.fileSystem();
    this.downloads = downloads;
    this.tempPath = downloads.dir().resolve(TEMP_PREFIX + UUID.randomUUID() + TEMP_SUFFIX).toString();
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Deletes the temp files a killed run left in {@code dir}; call before any download starts.
   * Completes with how many there were.
   */
  static Future<Integer> deleteLeftovers(Vertx vertx, Path dir) {
    FileSystem fs = vertx.fileSystem();
    String pattern = Pattern.quote(TEMP_PREFIX) + "[0-9a-f-]{36}" + Pattern.quote(TEMP_SUFFIX);
    return fs.exists(dir.toString())
        .compose(exists -> exists ? fs.readDir(dir.toString(), pattern) : Future.succeededFuture(List.<String>of()))
        .compose(leftovers -> Future.all(leftovers.stream().map(fs::delete).toList()).map(v -> leftovers.size()));
  }

  /** Creates {@code download.dir} if needed and the temp file. */
  Future<Void> open() {
    opening = fs.mkdirs(downloads.dir().toString())
        .compose(v -> fs.open(tempPath, new OpenOptions().setWrite(true).setCreateNew(true)))
        .compose(opened -> {
          file = opened;
          file.exceptionHandler(this::writeFailed);
          if (state == State.ABORTED) {
            return discard().compose(v -> Future.failedFuture("download aborted"));
          }
          state = State.WRITING;
          return Future.succeededFuture();
        });
    return opening;
  }

  /** Called once if a write fails after {@link #open()} succeeded. */
  void errorHandler(Handler<Throwable> handler) {
    this.errorHandler = handler;
  }

  @Override
  public long capBytes() {
    return downloads.maxBytes();
  }

  /** Appends {@code chunk}; false (and nothing written) when it would pass {@code download.max_size}. */
  @Override
  public boolean append(Buffer chunk) {
    if (bytes + chunk.length() > downloads.maxBytes()) {
      return false;
    }
    bytes += chunk.length();
    sha256.update(chunk.getBytes());
    file.write(chunk).onFailure(this::writeFailed);
    return true;
  }

  @Override
  public long bytes() {
    return bytes;
  }

  @Override
  public boolean writeQueueFull() {
    return file.writeQueueFull();
  }

  /** Calls {@code resume} once the write queue has drained below its low-water mark. */
  @Override
  public void drainHandler(Handler<Void> resume) {
    file.drainHandler(resume);
  }

  /** Closes the file and gives it its content-addressed name; the temp file is gone either way. */
  Future<DownloadedFile> finish(String contentType) {
    state = State.FINISHING;
    String sha = HexFormat.of().formatHex(sha256.digest());
    String target = downloads.dir().resolve(Downloads.fileName(sha, contentType)).toString();
    return file.close()
        .compose(v -> fs.exists(target))
        .compose(exists -> exists
            ? fs.delete(tempPath)
            // Atomic: a concurrent download of the same bytes may replace it, with the same bytes.
            : fs.move(tempPath, target, new CopyOptions().setAtomicMove(true)))
        .map(v -> {
          state = State.DONE;
          return new DownloadedFile(target, bytes, sha);
        })
        .recover(err -> {
          state = State.ABORTED;
          return fs.delete(tempPath).transform(ignored -> Future.failedFuture(err));
        });
  }

  /** Stops writing and deletes the temp file; completes once it is gone. A finished file is kept. */
  Future<Void> abort() {
    State was = state;
    if (was == State.FINISHING || was == State.DONE || was == State.ABORTED) {
      return Future.succeededFuture();
    }
    state = State.ABORTED;
    // While opening, open() itself discards the file once it exists.
    return was == State.OPENING ? opening.transform(ignored -> Future.succeededFuture()) : discard();
  }

  private Future<Void> discard() {
    return file.close()
        .transform(ignored -> fs.delete(tempPath))
        .recover(err -> {
          log.warn("download temp file not deleted path={}", tempPath, err);
          return Future.succeededFuture();
        });
  }

  private void writeFailed(Throwable err) {
    if (state == State.WRITING) {
      Handler<Throwable> handler = errorHandler;
      errorHandler = e -> {};
      handler.handle(err);
    }
  }
}
