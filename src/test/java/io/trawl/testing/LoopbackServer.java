package io.trawl.testing;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/** A test's HTTP server on 127.0.0.1 at a free port, listening when {@link #start} returns. Test thread. */
public record LoopbackServer(HttpServer server) {
  public static LoopbackServer start(Vertx vertx, Handler<HttpServerRequest> handler) {
    return new LoopbackServer(Await.result(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(handler)
        .listen()));
  }

  /**
   * The URL of {@code /} on a 127.0.0.1 port nothing listens on: a server's, closed again, so a
   * connection to it is refused (another process could take the port in between; on a test
   * machine none does).
   */
  public static String refusedUrl(Vertx vertx) {
    LoopbackServer closed = start(vertx, req -> req.response().end());
    Await.result(closed.server().close());
    return closed.url("/");
  }

  public int port() {
    return server.actualPort();
  }

  /** The absolute URL of {@code path} on this server. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }
}
