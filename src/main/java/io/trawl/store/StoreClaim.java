package io.trawl.store;

/**
 * A crawl's exclusive claim on its database ({@link StoreBackend#claim()}), held from before the
 * database is inspected, requeued ({@code --resume}) or wiped ({@code --fresh}) until the crawl
 * has ended, so that a second crawl on the same database is refused instead of running beside the
 * first. The process's end releases it too, {@code kill -9} included. Main thread.
 */
public interface StoreClaim extends AutoCloseable {
  /** Releases the claim; a failure is only logged (the process's end releases it anyway). */
  @Override
  void close();
}
