package io.trawl.parse;

import java.util.concurrent.Callable;

/**
 * One page's time on the parse pool, summed over the tasks that work on it there: parsing,
 * extraction and the page handlers in one, the item sink in another. The wait for the heap budget
 * and for a free parse thread is not counted. The tasks run one after another on parse threads
 * (their futures chained through the parse verticle's event loop), so one writes at a time.
 */
final class PageClock {
  private volatile long nanos;

  /** Runs {@code work} on the calling thread, adding its time whether it returns or throws. */
  <T> T time(Callable<T> work) throws Exception {
    long startedNanos = System.nanoTime();
    try {
      return work.call();
    } finally {
      nanos += System.nanoTime() - startedNanos;
    }
  }

  long nanos() {
    return nanos;
  }
}
