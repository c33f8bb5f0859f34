package io.trawl.metrics;

import io.trawl.config.ListenAddress;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus endpoint of {@code crawl.metrics}: {@code GET /metrics} answers the crawl's
 * registry in Prometheus' text format; any other path is a 404, another method a 405. The text is
 * written on a worker thread: a scrape walks every meter, which is no job for an event loop. The
 * server closes with the verticle. Event loop.
 */
public final class MetricsVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(MetricsVerticle.class);
  /** Prometheus' text exposition format. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final CrawlMetrics metrics;
  private final ListenAddress address;
  private volatile int port;

  public MetricsVerticle(CrawlMetrics metrics, ListenAddress address) {
    this.metrics = metrics;
    this.address = address;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost(address.host()).setPort(address.port()))
        .requestHandler(this::handle)
        .listen()
        .onSuccess(server -> {
          port = server.actualPort();
          log.info("metrics served url={}/metrics", address.url(port));
        });
  }

  /** The port bound (the OS's pick when {@code crawl.metrics} gave 0), once started. */
  public int port() {
    return port;
  }

  private void handle(HttpServerRequest request) {
    if (!request.path().equals("/metrics")) {
      request.response().setStatusCode(404).end();
      return;
    }
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
      return;
    }
    vertx.executeBlocking(() -> metrics.registry().scrape(), false)
        .onSuccess(text -> request.response().putHeader("Content-Type", CONTENT_TYPE).end(text))
        .onFailure(err -> {
          log.warn("metrics scrape failed", err);
          request.response().setStatusCode(500).end();
        });
  }
}
