package example.pricewatch;

import io.trawl.api.Item;
import io.trawl.api.ItemSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An item sink that appends each item's data as one JSON line to a file, flushed page by page.
 * Called from several parse threads at once, so each page is written under a lock.
 */
final class JsonLinesSink implements ItemSink, AutoCloseable {
  private final BufferedWriter out;

  JsonLinesSink(Path file) throws IOException {
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void accept(List<Item> items) throws IOException {
    for (Item item : items) {
      out.write(item.data().encode());
      out.newLine();
    }
    out.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
