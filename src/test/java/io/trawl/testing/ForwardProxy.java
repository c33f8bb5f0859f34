package io.trawl.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A forward HTTP proxy on 127.0.0.1 for tests: plain http requests in absolute form are relayed
 * whole, {@code CONNECT host:port} opens a tunnel. Each request it takes is logged as {@code
 * "GET http://..."} or {@code "CONNECT host:port"}, with the {@code Proxy-Authorization} it came
 * with. When built with credentials, a request without them is answered 407.
 */
public final class ForwardProxy {
  /** One request the proxy took: its line, and its Proxy-Authorization header (or null). */
  public record Entry(String line, String proxyAuthorization) {}

  private final Vertx vertx;
  private final String requiredAuthorization;
  private final List<Entry> log = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private HttpClient client;
  private NetClient tunnels;

  private ForwardProxy(Vertx vertx, String user, String password) {
    this.vertx = vertx;
    this.requiredAuthorization = user == null ? null
        : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A proxy that takes anyone. */
  public static ForwardProxy open(Vertx vertx) {
    return new ForwardProxy(vertx, null, null).start();
  }

  /** A proxy that wants {@code user} and {@code password} (Basic), and answers 407 without them. */
  public static ForwardProxy withCredentials(Vertx vertx, String user, String password) {
    return new ForwardProxy(vertx, user, password).start();
  }

  private ForwardProxy start() {
    client = vertx.createHttpClient();
    tunnels = vertx.createNetClient();
    server = Await.result(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(this::handle)
        .listen());
    return this;
  }

  public int port() {
    return server.actualPort();
  }

  /** The requests taken so far, in order. */
  public List<Entry> log() {
    return List.copyOf(log);
  }

  /** The request lines taken so far, in order. */
  public List<String> lines() {
    return log.stream().map(Entry::line).toList();
  }

  private void handle(HttpServerRequest req) {
    String authorization = req.getHeader(HttpHeaders.PROXY_AUTHORIZATION);
    log.add(new Entry(req.method() + " " + req.uri(), authorization));
    if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
      req.response().setStatusCode(407).putHeader("Proxy-Authenticate", "Basic realm=\"test\"").end();
      return;
    }
    if (req.method().equals(HttpMethod.CONNECT)) {
      tunnel(req);
    } else {
      relay(req);
    }
  }

  private void tunnel(HttpServerRequest req) {
    String[] target = req.uri().split(":");
    // The 200 goes out first; what the client sends meanwhile waits in the paused socket.
    req.toNetSocket().onSuccess(downstream -> {
      downstream.pause();
      tunnels.connect(Integer.parseInt(target[1]), target[0])
          .onSuccess(upstream -> splice(upstream, downstream))
          .onFailure(err -> downstream.close());
    });
  }

  private static void splice(NetSocket upstream, NetSocket downstream) {
    upstream.pipeTo(downstream);
    downstream.pipeTo(upstream);
  }

  private void relay(HttpServerRequest req) {
    RequestOptions options = new RequestOptions().setAbsoluteURI(req.uri()).setMethod(req.method());
    req.headers().forEach(header -> {
      if (!header.getKey().equalsIgnoreCase("Proxy-Authorization")
          && !header.getKey().equalsIgnoreCase("Proxy-Connection")) {
        options.addHeader(header.getKey(), header.getValue());
      }
    });
    req.body()
        .compose(body -> client.request(options).compose(upstream -> upstream.send(body)))
        .compose(response -> response.body().onSuccess(body -> {
          req.response().setStatusCode(response.statusCode());
          response.headers().forEach(h -> {
            if (!h.getKey().equalsIgnoreCase("Content-Length") && !h.getKey().equalsIgnoreCase("Transfer-Encoding")) {
              req.response().headers().add(h.getKey(), h.getValue());
            }
          });
          req.response().end(body);
        }))
        .onFailure(err -> req.response().setStatusCode(502).end());
  }
}
