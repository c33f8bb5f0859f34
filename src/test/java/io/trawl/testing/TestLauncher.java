package io.trawl.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A stand-in for the {@code ./trawl} launcher, for the benches that run crawls as processes of
 * their own ({@code bench --cold}, {@code bench --nodes}): a script that runs trawl's main on this
 * test JVM's java and class path, with a small heap, so the tests need no built jar.
 */
public final class TestLauncher {
  private TestLauncher() {}

  /** Writes the script as {@code dir/trawl} and returns its path. */
  public static Path in(Path dir) throws IOException {
    Path launcher = dir.resolve("trawl");
    String java = ProcessHandle.current().info().command().orElse("java");
    Files.writeString(launcher, "#!/usr/bin/env bash\nexec '" + java + "' -Xmx256m -XX:+UseSerialGC -cp '"
        + System.getProperty("java.class.path") + "' io.trawl.cli.Main \"$@\"\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    return launcher;
  }
}
