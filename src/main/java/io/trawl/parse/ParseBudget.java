package io.trawl.parse;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;

/**
 * The heap that the pages being parsed at once may take, all together: a semaphore of bytes. A
 * page reserves {@link #reservationFor its share} before its parse starts and gives it back when
 * the parse ends; the parse itself is held to that share ({@link HtmlParser}), so a page whose DOM
 * would outgrow it fails as {@code too_complex} instead of running the heap out. Jsoup's DOM takes
 * 3-8 bytes of heap per byte of ordinary HTML and over 60 per byte of unclosed inline tags
 * ({@code <b>} repeated: 10 MB of it wanted over 600 MB), so a share is {@value #BYTES_PER_HTML_BYTE}
 * times the page's size, at least {@value #MIN_RESERVATION_BYTES} bytes and at most the whole
 * budget. A page waits, without blocking anything, until its share is free; waiters are served in
 * order, so a large page is not starved by small ones. Event loop of the parse verticle; not
 * thread-safe.
 */
final class ParseBudget {
  /** Heap a page may take while parsed, per byte of its HTML. */
  static final long BYTES_PER_HTML_BYTE = 64;
  /** Every page may take this much, however small: small pages are cheap whatever their markup. */
  static final long MIN_RESERVATION_BYTES = 16L << 20;
  /** The budget's share of the JVM's maximum heap: a quarter, 128 MB under the launcher's 512 MB. */
  static final int HEAP_SHARE = 4;

  private record Waiter(long bytes, Promise<Void> promise) {}

  private final long totalBytes;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private long freeBytes;

  ParseBudget(long totalBytes) {
    if (totalBytes < 1) {
      throw new IllegalArgumentException("a parse budget needs at least one byte");
    }
    this.totalBytes = totalBytes;
    this.freeBytes = totalBytes;
  }

  /** A budget of {@code 1/}{@value #HEAP_SHARE} of this JVM's maximum heap. */
  static ParseBudget ofHeap() {
    return new ParseBudget(Runtime.getRuntime().maxMemory() / HEAP_SHARE);
  }

  /** The heap a page of {@code htmlBytes} may take while parsed. */
  long reservationFor(long htmlBytes) {
    long share = Math.max(MIN_RESERVATION_BYTES, htmlBytes * BYTES_PER_HTML_BYTE);
    return Math.min(totalBytes, share);
  }

  /** Completes once {@code bytes} (at most the whole budget) are reserved; give them back with {@link #release}. */
  Future<Void> acquire(long bytes) {
    if (bytes > totalBytes) {
      throw new IllegalArgumentException(bytes + " bytes asked of a budget of " + totalBytes);
    }
    if (waiters.isEmpty() && bytes <= freeBytes) {
      freeBytes -= bytes;
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    waiters.add(new Waiter(bytes, promise));
    return promise.future();
  }

  void release(long bytes) {
    freeBytes += bytes;
    while (!waiters.isEmpty() && waiters.peek().bytes() <= freeBytes) {
      Waiter next = waiters.poll();
      freeBytes -= next.bytes();
      next.promise().complete();
    }
  }

  long freeBytes() {
    return freeBytes;
  }

  int waiting() {
    return waiters.size();
  }

  long totalBytes() {
    return totalBytes;
  }
}
