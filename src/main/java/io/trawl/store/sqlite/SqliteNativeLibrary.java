package io.trawl.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * sqlite-jdbc's native library, loaded from one copy kept beside the jar instead of a fresh one
 * each start. Left to itself, sqlite-jdbc inflates its 1 MB library from the jar into the temp
 * directory under a new name at every start, reads it back to compare, and deletes it at exit:
 * 0.15-0.2 s of a crawl's start on a 2-core machine (the first connection took 250-310 ms, 70-115
 * ms from a kept copy), and a copy left in the temp directory by every process that did not exit
 * normally (a kill -9, an out-of-memory stop). The copy is made once per sqlite-jdbc version and
 * platform, written to a temporary name and renamed, so a process that dies half way leaves no
 * half library; sqlite-jdbc is pointed at it through its own {@code org.sqlite.lib.path} and
 * {@code org.sqlite.lib.name}. Where nothing can be kept (no jar, a directory not writable, a user's
 * own {@code org.sqlite.lib.path}), nothing changes: sqlite-jdbc extracts as it always did, and it
 * also does so should the kept copy ever fail to load.
 */
public final class SqliteNativeLibrary {
  private static final String PATH_PROPERTY = "org.sqlite.lib.path";
  private static final String NAME_PROPERTY = "org.sqlite.lib.name";

  private SqliteNativeLibrary() {}

  /**
   * Points sqlite-jdbc at the copy beside trawl's jar ({@code target/sqlite-native/} for {@code
   * ./trawl}), making it first if need be, where sqlite-jdbc is inside that jar: not for a class
   * directory or a separate sqlite-jdbc jar (tests, or trawl as a library), whose directories are
   * not trawl's to write in. Call before the first connection; blocking (file work, once per JVM:
   * the CLI's main thread).
   */
  public static void useCopyBesideJar() {
    Path jar = jarOf(SqliteNativeLibrary.class);
    if (jar != null && jar.equals(jarOf(SQLiteJDBCLoader.class))) {
      useCopyIn(jar.resolveSibling("sqlite-native"));
    }
  }

  /**
   * Points sqlite-jdbc at its library under {@code dir} (by version and platform), copying it there
   * from the class path if it is not there yet. False, changing nothing, where it cannot.
   */
  static boolean useCopyIn(Path dir) {
    if (System.getProperty(PATH_PROPERTY) != null) {
      return false;
    }
    String name = LibraryLoaderUtil.getNativeLibName();
    String folder = LibraryLoaderUtil.getNativeLibResourcePath(); // /org/sqlite/native/Linux/x86_64
    URL source = SQLiteJDBCLoader.class.getResource(folder + "/" + name);
    if (source == null) {
      return false;
    }
    String platform = folder.substring(folder.indexOf("/native/") + "/native/".length()).replace('/', '-');
    Path libraryDir = dir.resolve(SQLiteJDBCLoader.getVersion()).resolve(platform);
    Path library = libraryDir.resolve(name);
    try {
      long size = source.openConnection().getContentLengthLong();
      if (!Files.isRegularFile(library) || Files.size(library) != size) {
        Files.createDirectories(libraryDir);
        Path partial = Files.createTempFile(libraryDir, name, ".part");
        try (InputStream in = source.openStream()) {
          Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
          Files.move(partial, library, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(partial);
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    System.setProperty(PATH_PROPERTY, libraryDir.toString());
    System.setProperty(NAME_PROPERTY, name);
    return true;
  }

  /** The jar file {@code type} was loaded from, or null (a class directory, or no code source). */
  private static Path jarOf(Class<?> type) {
    try {
      var source = type.getProtectionDomain().getCodeSource();
      if (source == null) {
        return null;
      }
      Path path = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(path) ? path : null;
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
