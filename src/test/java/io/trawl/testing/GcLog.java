package io.trawl.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a child JVM's {@code -Xlog:gc} file for the heap that was live: the heap left after each
 * full collection, which holds no garbage (unlike the summary's "peak heap", the sum of the heap
 * pools' peaks, garbage included). Pass {@link #flag(Path)} to the child.
 */
public final class GcLog {
  /** {@code [12.3s][info][gc] GC(104) Pause Full (Allocation Failure) 206M->97M(277M) 457.727ms} */
  private static final Pattern FULL = Pattern.compile("Pause Full \\([^)]*\\) (\\d+)M->(\\d+)M\\((\\d+)M\\)");

  private GcLog() {}

  /** The JVM flag that writes the log to {@code file}. */
  public static String flag(Path file) {
    return "-Xlog:gc:file=" + file.toAbsolutePath();
  }

  /** The most heap left live after a full collection, in MB; -1 when there was none. */
  public static long maxLiveAfterFullGcMb(Path file) throws IOException {
    long max = -1;
    for (Matcher m = FULL.matcher(Files.readString(file)); m.find(); ) {
      max = Math.max(max, Long.parseLong(m.group(2)));
    }
    return max;
  }

  /** How many full collections the log shows. */
  public static int fullCollections(Path file) throws IOException {
    int count = 0;
    for (Matcher m = FULL.matcher(Files.readString(file)); m.find(); ) {
      count++;
    }
    return count;
  }
}
