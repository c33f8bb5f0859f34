package io.trawl.fetch;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * A response body kept in memory up to a cap. Read straight into a {@code byte[]} presized to the
 * announced length up to {@value #PRESIZE_MAX_BYTES} bytes, so a Content-Length that lies costs
 * nothing up front, and doubled (up to the cap) when the body outgrows it; when the Content-Length
 * was exact, that array is the body handed on, with no copy. A Vert.x {@code Buffer} here, then its
 * {@code getBytes()}, copied each body twice (the cold crawl allocated 20-23 KB more a 20 KB page).
 * The copy Vert.x itself makes of each chunk off Netty's pooled buffer before the handler sees it
 * ({@code BufferInternal.safeBuffer}) stays: no public option of its HTTP client turns it off.
 * Event loop of the fetch.
 */
final class MemoryBody implements BodySink {
  static final int PRESIZE_MAX_BYTES = 256 * 1024;
  /** The largest array the JVM reliably allocates. */
  private static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

  private final long capBytes;
  private byte[] body;
  private int length;

  /** @param announcedBytes the Content-Length, or -1 */
  MemoryBody(long capBytes, long announcedBytes) {
    this.capBytes = capBytes;
    this.body = new byte[(int) Math.min(Math.max(announcedBytes, 1024), Math.min(capBytes, PRESIZE_MAX_BYTES))];
  }

  @Override
  public long capBytes() {
    return capBytes;
  }

  @Override
  public long bytes() {
    return length;
  }

  @Override
  public boolean append(Buffer chunk) {
    if (length + (long) chunk.length() > Math.min(capBytes, MAX_ARRAY_BYTES)) {
      return false;
    }
    put(chunk, chunk.length());
    return true;
  }

  /** Takes as much of {@code chunk} as fits under the cap: the prefix a robots.txt keeps. */
  void appendPrefix(Buffer chunk) {
    put(chunk, (int) Math.max(0, Math.min(chunk.length(), Math.min(capBytes, MAX_ARRAY_BYTES) - length)));
  }

  /** The body read; the same array on every call, which nobody writes to. */
  byte[] bytesRead() {
    if (length != body.length) {
      body = Arrays.copyOf(body, length);
    }
    return body;
  }

  private void put(Buffer chunk, int n) {
    if (length + n > body.length) {
      long doubled = Math.min(2L * body.length, Math.min(capBytes, MAX_ARRAY_BYTES));
      body = Arrays.copyOf(body, (int) Math.max(length + n, doubled));
    }
    chunk.getBytes(0, n, body, length);
    length += n;
  }
}
