package io.trawl.store.sqlite;

import io.trawl.store.StoreClaim;
import io.trawl.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A crawl's exclusive claim on a SQLite file ({@link StoreClaim}), taken before the database is
 * inspected, requeued ({@code --resume}) or deleted ({@code --fresh}) and held until the crawl has
 * ended, so that a second crawl on the same database is refused instead of running beside the first.
 *
 * <p>The claim is an OS lock ({@link FileChannel#tryLock}) on a lock file beside
 * it, {@code <db>.lock}, never on the database itself: those are POSIX locks, which SQLite uses
 * for its own, and which a process loses when it closes any descriptor of the file. The OS
 * drops the lock when the process ends, {@code kill -9} included. The file stays when the crawl
 * ends: deleting it on release would let two crawls lock two different files of the same name.
 * It holds the pid of the crawl holding it, for the message that refuses another. Main thread.
 */
final class SqliteLock implements StoreClaim {
  private static final Logger log = LoggerFactory.getLogger(SqliteLock.class);

  /**
   * The lock files this JVM holds. A second channel on one of them must never be opened: closing
   * it would drop the POSIX lock the first one holds.
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private SqliteLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Claims the SQLite file {@code db} through {@code <db>.lock} (created if needed).
   *
   * @throws StoreException BUSY when another crawl holds it; NO_DATABASE when the lock file cannot be created
   */
  static SqliteLock onSqliteFile(Path db) {
    Path file = lockFileOf(db);
    if (!HELD.add(file)) {
      throw refused(db, file, "this process");
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        channel.close();
        HELD.remove(file);
        throw refused(db, file, holder(file));
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
      return new SqliteLock(file, channel, lock);
    } catch (IOException e) {
      closeAfter(channel, e);
      HELD.remove(file);
      String reason = e instanceof NoSuchFileException ? "no such directory" : e.toString();
      throw new StoreException(StoreException.Kind.NO_DATABASE,
          file + ": cannot create the lock file that keeps a second crawl off " + db + " (" + reason + ")", e);
    }
  }

  /** The lock file of {@code db}, its directory resolved so that two spellings of one path are one lock. */
  static Path lockFileOf(Path db) {
    Path absolute = db.toAbsolutePath().normalize();
    Path dir = absolute.getParent();
    try {
      dir = dir.toRealPath();
    } catch (IOException e) {
      // A directory that does not exist: opening the lock file fails and says so.
    }
    return dir.resolve(absolute.getFileName() + ".lock");
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held in this JVM through a path HELD did not know as the same (a hard link)
    }
  }

  private static StoreException refused(Path db, Path file, String holder) {
    return new StoreException(StoreException.Kind.BUSY, db + ": another crawl is running on this database (" + holder + " holds " + file
        + "); wait for it to end or stop it, or use --db for another file");
  }

  /** Who holds the lock, as its file says; read only when this JVM holds no lock on it. */
  private static String holder(Path file) {
    try {
      String pid = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return pid.matches("[0-9]+") ? "process " + pid : "another process";
    } catch (IOException e) {
      return "another process";
    }
  }

  private static void closeAfter(FileChannel channel, IOException failure) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /** Releases the claim; the OS would at exit anyway, so a failure here is only logged. */
  @Override
  public void close() {
    try {
      channel.truncate(0);
      lock.release();
      channel.close();
    } catch (IOException e) {
      log.warn("releasing the crawl lock failed file={}", file, e);
    } finally {
      HELD.remove(file);
    }
  }
}
