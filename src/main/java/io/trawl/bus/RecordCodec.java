package io.trawl.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The one codec of every bus record: the record itself within one JVM, its {@link RecordJson}
 * form between cluster nodes. The JSON codec deep-copies every message delivered locally, and the
 * per-page messages hold the page body and some hundred link strings: {@code trawl bench} showed
 * the copies (JsonUtil.deepCopy) and the to/from JSON conversions among the event loops' and the
 * JIT's top items. Records are immutable, so handing the same instance to the consumer is safe.
 * Any thread.
 *
 * @param <T> the record type
 */
public final class RecordCodec<T extends Record> implements MessageCodec<T, T> {
  /** Every record that travels on the bus, as a message, a reply or inside one. */
  public static final List<Class<? extends Record>> RECORDS = List.of(
      ClusterProgress.class,
      CookieChanges.class,
      CookieRecord.class,
      CrawlRecord.class,
      DiscoveredUrls.class,
      DownloadedFile.class,
      FetchOutcome.class,
      FetchRequest.class,
      FetchedPage.class,
      FrontierRow.class,
      FrontierUpdate.class,
      LoginRequest.class,
      NodeProgress.class,
      OwnedPartitions.class,
      PageRecord.class,
      PageStored.class,
      ParseResult.class,
      Partitions.class,
      Progress.class,
      QueuedBatch.class,
      QueuedRequest.class,
      Revisit.class,
      RenderRequest.class,
      RenderedPage.class,
      RobotsAnswer.class,
      RobotsQuery.class,
      RobotsSitemaps.class,
      SitemapRequest.class,
      StoredCookies.class);

  private final Class<T> type;

  RecordCodec(Class<T> type) {
    RecordJson.check(type);
    this.type = type;
  }

  /** Registers the codec of every record in {@link #RECORDS} on {@code vertx}'s event bus, once. */
  public static void registerAll(Vertx vertx) {
    RECORDS.forEach(type -> register(vertx, type));
  }

  private static <T extends Record> void register(Vertx vertx, Class<T> type) {
    try {
      vertx.eventBus().registerDefaultCodec(type, new RecordCodec<>(type));
    } catch (IllegalStateException alreadyRegistered) {
      // A second crawl on the same Vert.x instance: the first registration stands.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T record) {
    Buffer json = RecordJson.toJson(record).toBuffer();
    buffer.appendInt(json.length());
    buffer.appendBuffer(json);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return RecordJson.fromJson(new JsonObject(buffer.slice(pos + 4, pos + 4 + length)), type);
  }

  @Override
  public T transform(T record) {
    return record;
  }

  @Override
  public String name() {
    return "trawl." + type.getSimpleName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
