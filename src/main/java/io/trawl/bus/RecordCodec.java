package io.trawl.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Carries a bus record as itself within one JVM and as its JSON between cluster nodes. The JSON
 * codec deep-copies every message delivered locally, and the per-page messages hold the page body
 * and some hundred link strings: {@code trawl bench} showed the copies (JsonUtil.deepCopy) and the
 * to/from JSON conversions among the event loops' and the JIT's top items. Records are immutable,
 * so handing the same instance to the consumer is safe.
 *
 * @param <T> the record type
 */
public final class RecordCodec<T> implements MessageCodec<T, T> {
  private final Class<T> type;
  private final Function<T, JsonObject> toJson;
  private final Function<JsonObject, T> fromJson;

  private RecordCodec(Class<T> type, Function<T, JsonObject> toJson, Function<JsonObject, T> fromJson) {
    this.type = type;
    this.toJson = toJson;
    this.fromJson = fromJson;
  }

  /** Registers the codecs of the per-page records on {@code vertx}'s event bus, once. */
  public static void registerAll(Vertx vertx) {
    register(vertx, new RecordCodec<>(FetchedPage.class, FetchedPage::toJson, FetchedPage::fromJson));
    register(vertx, new RecordCodec<>(PageRecord.class, PageRecord::toJson, PageRecord::fromJson));
  }

  private static <T> void register(Vertx vertx, RecordCodec<T> codec) {
    try {
      vertx.eventBus().registerDefaultCodec(codec.type, codec);
    } catch (IllegalStateException alreadyRegistered) {
      // A second crawl on the same Vert.x instance: the first registration stands.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T record) {
    Buffer json = toJson.apply(record).toBuffer();
    buffer.appendInt(json.length());
    buffer.appendBuffer(json);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return fromJson.apply(new JsonObject(buffer.slice(pos + 4, pos + 4 + length)));
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
