package io.trawl.parse;

import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The bytes of a page as Jsoup reads them, stopping the parse once the parsing thread has
 * allocated more than the page's share of the heap since it began: Jsoup builds the DOM as it
 * reads, a few kilobytes at a time, so every read is a point to check how much it has built. What
 * the thread allocated bounds what the DOM holds from above (3-8 bytes per HTML byte on ordinary
 * pages, close to what the DOM keeps on pathological ones), and the JVM counts it cheaply. Where
 * the JVM cannot count it, each byte read is charged {@value ParseBudget#BYTES_PER_HTML_BYTE}
 * bytes instead. Parse thread; one per parse.
 */
final class HeapCappedInput extends InputStream {
  private static final com.sun.management.ThreadMXBean THREADS = allocationCounter();

  private final byte[] bytes;
  private final String url;
  private final long maxHeapBytes;
  private final long allocatedAtStart;
  private int pos;

  /** Reads {@code bytes} from {@code offset}, for the page at {@code url}, within {@code maxHeapBytes}. */
  HeapCappedInput(byte[] bytes, int offset, String url, long maxHeapBytes) {
    this.bytes = bytes;
    this.pos = offset;
    this.url = url;
    this.maxHeapBytes = maxHeapBytes;
    this.allocatedAtStart = allocated();
  }

  private static com.sun.management.ThreadMXBean allocationCounter() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (threads instanceof com.sun.management.ThreadMXBean counting && counting.isThreadAllocatedMemorySupported()) {
      counting.setThreadAllocatedMemoryEnabled(true);
      return counting;
    }
    return null;
  }

  private static long allocated() {
    return THREADS == null ? 0 : THREADS.getCurrentThreadAllocatedBytes();
  }

  /** The heap the parse has taken so far (or the estimate of it by bytes read). */
  long heapBytes() {
    return THREADS == null ? (long) pos * ParseBudget.BYTES_PER_HTML_BYTE : allocated() - allocatedAtStart;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] into, int off, int len) {
    long taken = heapBytes();
    if (taken > maxHeapBytes) {
      throw new CrawlException(FailureKind.TOO_COMPLEX, url,
          "parsing took over " + (maxHeapBytes >> 20) + " MB of heap after " + pos + " of " + bytes.length + " bytes");
    }
    if (pos >= bytes.length) {
      return -1;
    }
    int n = Math.min(len, bytes.length - pos);
    System.arraycopy(bytes, pos, into, off, n);
    pos += n;
    return n;
  }

  @Override
  public int available() {
    return bytes.length - pos;
  }
}
