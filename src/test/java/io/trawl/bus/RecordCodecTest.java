package io.trawl.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every bus record through {@link RecordCodec}: unchanged across the wire (what cluster mode will
 * rely on), and the very same instance within one JVM.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class RecordCodecTest {
  private static final Revisit REVISIT = new Revisit("\"v1\"", "Thu, 01 Jan 2026 00:00:00 GMT", "cafe", 86_400_000L);
  private static final FetchRequest REQUEST = new FetchRequest(7, "http://127.0.0.1:8080/a?q=é", 2, 1, REVISIT, "auto");
  private static final FrontierRow ROW = new FrontierRow(Long.MAX_VALUE - 1, "http://127.0.0.1/b", 3, 2, 1_700_000_000_123L,
      new Revisit(null, null, null, 3_600_000L), "auto");

  /** One instance of each bus record, with nulls, nested records, lists, bytes and JSON where it has them. */
  private static Map<Class<? extends Record>, Record> samples() {
    byte[] body = new byte[256];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    JsonArray items = new JsonArray()
        .add(new JsonObject().put("rule", "books").put("data", new JsonObject()
            .put("price", 51.77).put("tags", new JsonArray().add("a").add("b")).put("missing", (Object) null)));
    JsonObject config = new JsonObject().put("crawl", new JsonObject().put("max_pages", 5_000_000_000L))
        .put("fetch", new JsonObject().put("user_agent", "trawl/0.1 \"quoted\"\n"));
    Map<Class<? extends Record>, Record> samples = new LinkedHashMap<>();
    CookieRecord cookie = new CookieRecord("example.com", "/", "sid", "a=b; ✓", true, true, false, 0,
        1_700_000_000_000L, 1_700_000_000_001L);
    Stream.of(
        CrawlRecord.open(config, "recrawl", Long.MAX_VALUE),
        new DiscoveredUrls(List.of("http://127.0.0.1/x", "http://127.0.0.1/y"), 1, List.of(1_700_000_000_000L, 0L),
            List.of(-1L, 604_800_000L)),
        new ClusterProgress(100, 3, 350, 12, 3, 30),
        new CookieChanges(List.of(cookie), List.of()),
        cookie,
        new DownloadedFile("pdfs/ab.pdf", 3_000_000_000L, "ab12"),
        new FetchOutcome(7, "http_503", 1_700_000_000_999L, 2, 0, 2000, "auto"),
        REQUEST,
        new FetchedPage(REQUEST, "http://127.0.0.1:8080/final", 200, "text/html; charset=utf-8", body,
            1_700_000_000_000L, 12, 2, "W/\"v2\"", null, "learned", true,
            new DownloadedFile("d/ab.png", 9, "ab", "image/png")),
        ROW,
        new FrontierUpdate(List.of("http://127.0.0.1/"), List.of(1L, 2L, Long.MAX_VALUE), List.of(ROW)),
        new PageRecord(7, REQUEST.url(), "http://127.0.0.1:8080/final", 200, "text/html", 2, "Title ✓",
            1_700_000_000_000L, 12, 20_480, "cafe", 2, null, List.of("http://127.0.0.1/l1", "http://127.0.0.1/l2"),
            List.of("http://127.0.0.1/l1"), items, new DownloadedFile("d/x.bin", 4, "beef"), REVISIT, "\"v2\"", null, "urls"),
        new NodeProgress("127.0.0.1:5701/ab12", new Progress(10, 1, 2, 30, 4, 5000, 3, null), List.of("gone"),
            List.of(40L), List.of(2L)),
        new OwnedPartitions(List.of(0, 17, 255), Long.MIN_VALUE + 1, null),
        new OwnedPartitions(List.of(), 5, Long.MIN_VALUE + 1),
        new PageStored(3, "parse"),
        new ParseResult(0, null, false, "when_missing"),
        new Partitions(List.of(3, 4)),
        new RenderRequest("http://127.0.0.1/app"),
        new RenderedPage("http://127.0.0.1/app", 200, "text/html; charset=utf-8", body, true, 40, null, null),
        new Progress(10, 1, 2, 30, 4, 5000, 3, null),
        new QueuedBatch(List.of(ROW, new FrontierRow(1, "http://127.0.0.1/c", 0, 0, 0)), 42, -1),
        new QueuedRequest(Long.MAX_VALUE, 0),
        QueuedRequest.inPartitions(List.of(1, 2), List.of(0L, Long.MAX_VALUE), 100),
        REVISIT,
        new RobotsAnswer(RobotsAnswer.UNAVAILABLE, 0, "dns"),
        new RobotsQuery("http://127.0.0.1/"),
        new LoginRequest("*.example.org", 2),
        new RobotsSitemaps(List.of()),
        new SitemapRequest("https://127.0.0.1:8443/"),
        new StoredCookies(List.of(cookie)))
        .forEach(sample -> samples.put(sample.getClass(), sample));
    return samples;
  }

  @Test
  void everyRecordOfTheBusPackageHasACodecAndASampleHere() throws IOException, URISyntaxException {
    Path dir = Path.of(RecordCodec.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve("io/trawl/bus");
    Set<Class<?>> records = new HashSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".class") && !name.contains("$")) {
          Class<?> type = load("io.trawl.bus." + name.substring(0, name.length() - ".class".length()));
          if (type.isRecord()) {
            records.add(type);
          }
        }
      }
    }
    assertThat(records).as("records in io.trawl.bus").isNotEmpty();
    assertThat(Set.copyOf(RecordCodec.RECORDS)).isEqualTo(records);
    assertThat(samples().keySet()).isEqualTo(records);
  }

  @Test
  void everyBusRecordCrossesTheWireUnchanged() {
    for (Record sample : samples().values()) {
      Record decoded = wireHop(sample);
      assertThat(decoded).as(sample.getClass().getSimpleName())
          .isNotSameAs(sample)
          .usingRecursiveComparison()
          .withStrictTypeChecking()
          .withEqualsForType(JsonObject::equals, JsonObject.class)
          .withEqualsForType(JsonArray::equals, JsonArray.class)
          .isEqualTo(sample);
    }
  }

  @Test
  void theWireFormIsTheRecordsJsonWithBytesAsBase64() {
    FetchedPage page = (FetchedPage) samples().get(FetchedPage.class);
    Buffer wire = Buffer.buffer();
    codec(FetchedPage.class).encodeToWire(wire, page);
    JsonObject json = new JsonObject(wire.slice(4, wire.length()));
    assertThat(json.getJsonObject("request").getString("url")).isEqualTo(REQUEST.url());
    assertThat(json.getValue("body")).isInstanceOf(String.class);
    assertThat(Base64.getDecoder().decode(json.getString("body"))).isEqualTo(page.body());
  }

  @Test
  void localDeliveryHandsTheConsumerTheSameInstance(Vertx vertx, VertxTestContext ctx) {
    RecordCodec.registerAll(vertx);
    List<Record> sent = List.copyOf(samples().values());
    List<Record> received = new CopyOnWriteArrayList<>();
    vertx.eventBus().<Record>consumer("test.same-instance", msg -> {
      received.add(msg.body());
      msg.reply(msg.body());
    }).completion()
        .compose(v -> Future.all(sent.stream()
            .map(record -> vertx.eventBus().<Record>request("test.same-instance", record).map(Message::body))
            .toList()))
        .onComplete(ctx.succeeding(replies -> ctx.verify(() -> {
          assertThat(received).hasSameSizeAs(sent);
          for (int i = 0; i < sent.size(); i++) {
            Record record = sent.get(i);
            assertThat(received).as(record.getClass().getSimpleName()).anySatisfy(r -> assertThat(r).isSameAs(record));
            assertThat((Record) replies.resultAt(i)).isSameAs(record);
          }
          ctx.completeNow();
        })));
  }

  @Test
  void crawlStatsKeepTheProgressKeysTheyAlwaysHad() {
    JsonObject stats = RecordJson.toJson(new Progress(10, 1, 0, 0, 4, 5000, 3, "done"));
    assertThat(stats.fieldNames())
        .containsExactly("stored", "failed", "inFlight", "queued", "retries", "elapsedMs", "hosts", "stopReason");
    assertThat(stats.getValue("stored")).isEqualTo(10L);
  }

  private record WithDuration(String name, Duration timeout) {}

  @Test
  void aComponentWithoutAJsonMappingIsRefusedNamingIt() {
    assertThatThrownBy(() -> RecordJson.toJson(new WithDuration("x", Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WithDuration.timeout");
  }

  @Test
  void aMissingPrimitiveIsRefusedRatherThanDefaulted() {
    JsonObject json = RecordJson.toJson(new FetchOutcome(7, null, 0, 1, 0, 0));
    json.remove("attempts");
    assertThatThrownBy(() -> RecordJson.fromJson(json, FetchOutcome.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("FetchOutcome.attempts");
  }

  /** Encodes behind some unrelated bytes, as the clustered bus does, and decodes from that position. */
  private static Record wireHop(Record record) {
    RecordCodec<Record> codec = codec(record.getClass());
    Buffer wire = Buffer.buffer().appendString("header");
    codec.encodeToWire(wire, record);
    return codec.decodeFromWire("header".length(), wire);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Record> RecordCodec<Record> codec(Class<T> type) {
    return (RecordCodec<Record>) (RecordCodec<?>) new RecordCodec<>(type);
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(name, e);
    }
  }
}
