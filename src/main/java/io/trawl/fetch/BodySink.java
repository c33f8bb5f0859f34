package io.trawl.fetch;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * Where {@link HttpFetcher} puts a response body while reading it, within a cap: memory
 * ({@link MemoryBody}: pages, robots.txt, sitemaps) or a file ({@link FileDownload}). The one
 * reading loop ({@code HttpFetcher.Exchange#readBody}) owns the cap's and the truncation's rules;
 * a sink only stores and counts. Event loop of the fetch.
 */
interface BodySink {
  /** The most bytes this sink takes, after decompression. */
  long capBytes();

  /** Bytes taken so far. */
  long bytes();

  /** Takes {@code chunk}; false, taking nothing, when that would pass {@link #capBytes()}. */
  boolean append(Buffer chunk);

  /** Whether the reader should pause until {@link #drainHandler} calls back. */
  default boolean writeQueueFull() {
    return false;
  }

  /** Calls {@code resume} once the sink can take more; only asked after {@link #writeQueueFull()}. */
  default void drainHandler(Handler<Void> resume) {
    resume.handle(null);
  }
}
