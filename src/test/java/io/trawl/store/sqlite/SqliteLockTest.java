package io.trawl.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trawl.store.StoreException;
import io.trawl.testing.TrawlProcess;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The claim a crawl holds on its database: one holder at a time, in this JVM and across processes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SqliteLockTest {
  /** Exit code of {@link TryLock} when it got the lock. */
  private static final int GOT_IT = 0;
  /** Exit code of {@link TryLock} when another process held it. */
  private static final int HELD = 3;

  @TempDir Path dir;

  @Test
  void refusesASecondClaimOnTheSameDatabaseUntilTheFirstIsReleased() {
    Path db = dir.resolve("trawl.db");
    SqliteLock first = SqliteLock.onSqliteFile(db);

    assertThatThrownBy(() -> SqliteLock.onSqliteFile(db)).isInstanceOf(StoreException.class)
        .hasMessageContaining(SqliteLock.lockFileOf(db).toString());
    assertThatThrownBy(() -> SqliteLock.onSqliteFile(dir.resolve("sub/../trawl.db"))).isInstanceOf(StoreException.class);

    first.close();
    SqliteLock.onSqliteFile(db).close();
  }

  @Test
  void locksAFileBesideTheDatabaseAndNeverTheDatabaseItself() throws Exception {
    Path db = dir.resolve("trawl.db");

    try (SqliteLock lock = SqliteLock.onSqliteFile(db)) {
      assertThat(SqliteLock.lockFileOf(db)).isEqualTo(dir.toRealPath().resolve("trawl.db.lock")).exists();
      assertThat(db).doesNotExist();
    }
    assertThat(SqliteLock.lockFileOf(db)).exists();
  }

  @Test
  void letsTwoDatabasesInOneDirectoryBeClaimedAtOnce() {
    try (SqliteLock a = SqliteLock.onSqliteFile(dir.resolve("a.db")); SqliteLock b = SqliteLock.onSqliteFile(dir.resolve("b.db"))) {
      assertThat(SqliteLock.lockFileOf(dir.resolve("a.db"))).isNotEqualTo(SqliteLock.lockFileOf(dir.resolve("b.db")));
    }
  }

  /** POSIX locks belong to the process: a second descriptor of the file, once closed, would drop the first one's lock. */
  @Test
  void keepsTheLockFromOtherProcessesAfterRefusingASecondClaimInThisOne() throws Exception {
    Path db = dir.resolve("trawl.db");
    try (SqliteLock lock = SqliteLock.onSqliteFile(db)) {
      assertThatThrownBy(() -> SqliteLock.onSqliteFile(db)).isInstanceOf(StoreException.class);

      assertThat(tryLockInAnotherProcess(SqliteLock.lockFileOf(db))).isEqualTo(HELD);
    }
    assertThat(tryLockInAnotherProcess(SqliteLock.lockFileOf(db))).isEqualTo(GOT_IT);
  }

  @Test
  void refusesALockFileInADirectoryThatDoesNotExist() {
    assertThatThrownBy(() -> SqliteLock.onSqliteFile(dir.resolve("missing/trawl.db"))).isInstanceOf(StoreException.class);
  }

  private int tryLockInAnotherProcess(Path file) throws Exception {
    try (TrawlProcess child = TrawlProcess.startMain("32m", dir.resolve("try-lock.log"), TryLock.class.getName(),
        file.toString())) {
      return child.exitCode(Duration.ofSeconds(30));
    }
  }

  /** A child JVM's attempt at the lock: exits {@link #GOT_IT} or {@link #HELD}. */
  static final class TryLock {
    public static void main(String[] args) throws Exception {
      try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
        System.exit(channel.tryLock() == null ? HELD : GOT_IT);
      }
    }
  }
}
