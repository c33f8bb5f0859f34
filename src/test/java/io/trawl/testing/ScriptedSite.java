package io.trawl.testing;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server on 127.0.0.1 whose paths are scripted by the test, recording when each
 * request arrived (System.nanoTime) so politeness can be measured at the server.
 */
public final class ScriptedSite {
  /** One request as the server saw it. */
  public record Hit(String path, long nanos) {}

  private final Vertx vertx;
  private final Map<String, Handler<HttpServerRequest>> routes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final List<Hit> hits = new CopyOnWriteArrayList<>();
  private LoopbackServer server;

  public ScriptedSite(Vertx vertx) {
    this.vertx = vertx;
  }

  public ScriptedSite start() {
    server = LoopbackServer.start(vertx, this::handle);
    return this;
  }

  public String url(String path) {
    return server.url(path);
  }

  /** Serves {@code html} with status 200 at {@code path}. */
  public ScriptedSite page(String path, String html) {
    return route(path, req -> req.response().putHeader("content-type", "text/html; charset=utf-8").end(html));
  }

  public ScriptedSite text(String path, String contentType, String body) {
    return route(path, req -> req.response().putHeader("content-type", contentType).end(body));
  }

  public ScriptedSite status(String path, int status) {
    return route(path, req -> req.response().setStatusCode(status).putHeader("content-type", "text/html").end("<title>" + status + "</title>"));
  }

  public ScriptedSite route(String path, Handler<HttpServerRequest> handler) {
    routes.put(path, handler);
    return this;
  }

  /** How many times the request number {@code n} (1-based) of {@code path} has been made so far. */
  public int count(String path) {
    AtomicInteger c = counts.get(path);
    return c == null ? 0 : c.get();
  }

  public List<Hit> hits() {
    return new ArrayList<>(hits);
  }

  /** Arrival times of the requests whose path starts with {@code prefix}, in order. */
  public List<Long> times(String prefix) {
    return hits.stream().filter(h -> h.path().startsWith(prefix)).map(Hit::nanos).toList();
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    hits.add(new Hit(path, System.nanoTime()));
    counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    Handler<HttpServerRequest> route = routes.get(path);
    if (route == null) {
      request.response().setStatusCode(404).putHeader("content-type", "text/html").end("<title>missing</title>");
    } else {
      route.handle(request);
    }
  }
}
