package io.trawl.dashboard;

import io.trawl.bus.Addresses;
import io.trawl.bus.Progress;
import io.trawl.config.ListenAddress;
import io.trawl.metrics.CrawlMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live dashboard of {@code crawl.ui}: a read-only page (Vert.x Web) whose charts and tables
 * are fed by Server-Sent Events, one frame a second for every open page however many there are
 * ({@link DashboardFeed}), so a page never polls. The page, its script and the chart library
 * (uPlot, from its WebJar) are served from the jar; nothing is fetched from elsewhere. Only GET
 * routes exist: nothing on this server changes the crawl. Event loop; the resources are read once
 * on a worker at start.
 */
public final class DashboardVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(DashboardVerticle.class);
  /** Nothing but this server's own files; the events come from the same origin. */
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "connect-src 'self'; img-src 'self' data:";

  private final CrawlMetrics metrics;
  private final ListenAddress address;
  private final Set<HttpServerResponse> listeners = new LinkedHashSet<>();
  private DashboardFeed feed;
  private Map<String, Buffer> files;
  private volatile int port;

  public DashboardVerticle(CrawlMetrics metrics, ListenAddress address) {
    this.metrics = metrics;
    this.address = address;
  }

  @Override
  public Future<?> start() {
    metrics.wantHosts();
    feed = new DashboardFeed(metrics, System.currentTimeMillis());
    MessageConsumer<Progress> progress = vertx.eventBus().localConsumer(Addresses.PROGRESS, msg -> feed.progress(msg.body()));
    MessageConsumer<Progress> finished = vertx.eventBus().localConsumer(Addresses.FINISHED, msg -> feed.progress(msg.body()));
    return Future.all(progress.completion(), finished.completion())
        .compose(v -> vertx.executeBlocking(DashboardVerticle::readFiles))
        .compose(read -> {
          files = read;
          vertx.setPeriodic(1000, id -> tick());
          return vertx.createHttpServer(new HttpServerOptions().setHost(address.host()).setPort(address.port()))
              .requestHandler(router())
              .listen();
        })
        .onSuccess(server -> {
          port = server.actualPort();
          log.info("dashboard served url={}/", address.url(port));
        });
  }

  /** The port bound (the OS's pick when {@code crawl.ui} gave 0), once started. */
  public int port() {
    return port;
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.get("/").handler(ctx -> file(ctx, "dashboard.html", "text/html; charset=utf-8"));
    router.get("/dashboard.js").handler(ctx -> file(ctx, "dashboard.js", "text/javascript; charset=utf-8"));
    router.get("/uplot.js").handler(ctx -> file(ctx, "uplot.js", "text/javascript; charset=utf-8"));
    router.get("/uplot.css").handler(ctx -> file(ctx, "uplot.css", "text/css; charset=utf-8"));
    router.get("/frames").handler(this::frames);
    router.get("/events").handler(this::events);
    return router;
  }

  private void file(RoutingContext ctx, String name, String type) {
    ctx.response()
        .putHeader("Content-Type", type)
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Cache-Control", "no-cache")
        .end(files.get(name));
  }

  /** Every frame kept, as one JSON array: what the page draws first, and what a script can read. */
  private void frames(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(feed.history().toBuffer());
  }

  /** Server-Sent Events: one {@code frame} event a second until the page goes away. */
  private void events(RoutingContext ctx) {
    HttpServerResponse response = ctx.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.write("retry: 2000\n\n");
    listeners.add(response);
    response.closeHandler(v -> listeners.remove(response));
  }

  private void tick() {
    JsonObject frame = feed.frame(System.currentTimeMillis());
    if (listeners.isEmpty()) {
      return;
    }
    Buffer event = Buffer.buffer("event: frame\ndata: ").appendBuffer(frame.toBuffer()).appendString("\n\n");
    for (HttpServerResponse listener : listeners) {
      // A page that does not keep up misses frames rather than making the server queue them.
      if (!listener.writeQueueFull()) {
        listener.write(event);
      }
    }
  }

  /** Worker thread. */
  private static Map<String, Buffer> readFiles() {
    return Map.of(
        "dashboard.html", Buffer.buffer(ChartLibrary.bytes("io/trawl/dashboard/dashboard.html")),
        "dashboard.js", Buffer.buffer(ChartLibrary.bytes("io/trawl/dashboard/dashboard.js")),
        "uplot.js", Buffer.buffer(ChartLibrary.script()),
        "uplot.css", Buffer.buffer(ChartLibrary.styles()));
  }
}
