package io.trawl.fetch;

import io.vertx.core.buffer.Buffer;

/**
 * A response body kept in memory up to a cap. Presized to the announced length up to
 * {@value #PRESIZE_MAX_BYTES} bytes, so a Content-Length that lies costs nothing up front. Event
 * loop of the fetch.
 */
final class MemoryBody implements BodySink {
  static final int PRESIZE_MAX_BYTES = 256 * 1024;

  private final long capBytes;
  private final Buffer body;

  /** @param announcedBytes the Content-Length, or -1 */
  MemoryBody(long capBytes, long announcedBytes) {
    this.capBytes = capBytes;
    this.body = Buffer.buffer((int) Math.min(Math.max(announcedBytes, 1024), Math.min(capBytes, PRESIZE_MAX_BYTES)));
  }

  @Override
  public long capBytes() {
    return capBytes;
  }

  @Override
  public long bytes() {
    return body.length();
  }

  @Override
  public boolean append(Buffer chunk) {
    if (body.length() + chunk.length() > capBytes) {
      return false;
    }
    body.appendBuffer(chunk);
    return true;
  }

  /** Takes as much of {@code chunk} as fits under the cap: the prefix a robots.txt keeps. */
  void appendPrefix(Buffer chunk) {
    body.appendBuffer(chunk, 0, (int) Math.min(chunk.length(), capBytes - body.length()));
  }

  byte[] bytesRead() {
    return body.getBytes();
  }
}
