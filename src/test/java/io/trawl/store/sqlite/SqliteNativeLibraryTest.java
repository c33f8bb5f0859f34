package io.trawl.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * The kept copy of sqlite-jdbc's native library: made once with the jar's bytes, used as it is
 * after that, remade when it is not whole, and never where the user pointed sqlite-jdbc elsewhere
 * or nothing can be written. (That sqlite-jdbc loads it is seen in a crawl's /proc/PID/maps,
 * BENCHMARKS.md: this JVM has loaded its library long before this test.)
 */
class SqliteNativeLibraryTest {
  private static final String PATH = "org.sqlite.lib.path";
  private static final String NAME = "org.sqlite.lib.name";

  @TempDir Path dir;
  private String pathBefore;
  private String nameBefore;

  @BeforeEach
  void clearProperties() {
    pathBefore = System.clearProperty(PATH);
    nameBefore = System.clearProperty(NAME);
  }

  @AfterEach
  void restoreProperties() {
    restore(PATH, pathBefore);
    restore(NAME, nameBefore);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  private static byte[] jarCopy() throws Exception {
    String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
    try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
      return in.readAllBytes();
    }
  }

  private static Path kept() {
    return Path.of(System.getProperty(PATH), System.getProperty(NAME));
  }

  @Test
  void copiesTheLibraryOnceAndPointsSqliteJdbcAtIt() throws Exception {
    assertThat(SqliteNativeLibrary.useCopyIn(dir)).isTrue();
    Path library = kept();
    assertThat(library.getParent().getParent()).isEqualTo(dir.resolve(SQLiteJDBCLoader.getVersion()));
    assertThat(System.getProperty(NAME)).isEqualTo(LibraryLoaderUtil.getNativeLibName());
    assertThat(Files.readAllBytes(library)).isEqualTo(jarCopy());
    assertThat(Files.list(library.getParent())).containsExactly(library);

    FileTime past = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
    Files.setLastModifiedTime(library, past);
    System.clearProperty(PATH);
    assertThat(SqliteNativeLibrary.useCopyIn(dir)).isTrue();
    assertThat(kept()).isEqualTo(library);
    assertThat(Files.getLastModifiedTime(library)).isEqualTo(past);
  }

  @Test
  void aCopyCutShortIsMadeAgain() throws Exception {
    assertThat(SqliteNativeLibrary.useCopyIn(dir)).isTrue();
    Path library = kept();
    Files.write(library, new byte[] {0x7f, 'E', 'L', 'F'});
    System.clearProperty(PATH);

    assertThat(SqliteNativeLibrary.useCopyIn(dir)).isTrue();
    assertThat(Files.readAllBytes(library)).isEqualTo(jarCopy());
    assertThat(Files.list(library.getParent())).containsExactly(library);
  }

  @Test
  void leavesAUsersOwnLibraryPathAlone() {
    System.setProperty(PATH, "/opt/mine");

    assertThat(SqliteNativeLibrary.useCopyIn(dir)).isFalse();
    assertThat(System.getProperty(PATH)).isEqualTo("/opt/mine");
    assertThat(System.getProperty(NAME)).isNull();
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void changesNothingWhereNothingCanBeWritten() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

    assertThat(SqliteNativeLibrary.useCopyIn(file.resolve("sqlite-native"))).isFalse();
    assertThat(System.getProperty(PATH)).isNull();
    assertThat(System.getProperty(NAME)).isNull();
  }
}
