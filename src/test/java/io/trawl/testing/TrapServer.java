package io.trawl.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server a crawl must never reach, on a loopback address of the test's choosing (127.0.0.2
 * is loopback on Linux too): it counts the TCP connections it accepts, not only the requests, so
 * a test also sees a connection that was opened and dropped before anything was sent. It answers
 * every request 200 with a page, so a request that did get through is stored as a success.
 */
public final class TrapServer {
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer server;

  private TrapServer() {}

  /** Listens on {@code host} at a free port; stops with its Vert.x instance. */
  public static TrapServer start(Vertx vertx, String host) {
    TrapServer trap = new TrapServer();
    trap.server = Await.result(vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(0))
        .connectionHandler(connection -> trap.connections.incrementAndGet())
        .requestHandler(req -> {
          trap.requests.incrementAndGet();
          req.response().putHeader("content-type", "text/html").end("<title>secret</title>");
        })
        .listen());
    return trap;
  }

  public int port() {
    return server.actualPort();
  }

  /** TCP connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  /** Requests received so far. */
  public int requests() {
    return requests.get();
  }
}
