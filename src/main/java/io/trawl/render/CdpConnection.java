package io.trawl.render;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket to a browser's DevTools endpoint, speaking the Chrome DevTools Protocol: each
 * command carries an id and gets a future, completed by the answer with that id (or failed by its
 * error, a {@link CdpException}); events go to the {@link CdpSession} they belong to. Sessions are
 * flat ({@code Target.attachToTarget} with {@code flatten: true}): every target's messages travel
 * on this one socket, told apart by their {@code sessionId}. Commands and events are JSON on the
 * caller's event loop: create it, and use it and its sessions, on one Vert.x context only.
 */
public final class CdpConnection {
  private static final Logger log = LoggerFactory.getLogger(CdpConnection.class);

  private final WebSocketClient client;
  private final WebSocket socket;
  private final CdpSession browser;
  private final Map<String, CdpSession> sessions = new HashMap<>();
  private final Map<Long, Pending> pending = new HashMap<>();
  private final Promise<Void> closed = Promise.promise();
  private long nextId = 1;

  /** A command waiting for its answer, and the session it was sent on ("" for the browser). */
  private record Pending(String sessionId, String method, Promise<JsonObject> answer) {}

  private CdpConnection(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    this.browser = new CdpSession(this, "");
  }

  /**
   * Connects to {@code webSocketUrl} ({@code ws://127.0.0.1:port/devtools/browser/...}).
   *
   * @param maxMessageBytes the largest message accepted from the browser: an {@code outerHTML} or
   *     a screenshot travels in one message; a bigger one closes the connection
   */
  public static Future<CdpConnection> connect(Vertx vertx, String webSocketUrl, int maxMessageBytes) {
    URI uri = URI.create(webSocketUrl);
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(maxMessageBytes)
        .setMaxMessageSize(maxMessageBytes)
        .setConnectTimeout(10_000));
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(uri.getHost())
        .setPort(uri.getPort())
        .setURI(uri.getRawPath())
        // Chromium refuses a DevTools WebSocket that sends an Origin (unless --remote-allow-origins lists it).
        .setAllowOriginHeader(false);
    return client.connect(options)
        .map(socket -> new CdpConnection(client, socket).listen())
        .onFailure(err -> client.close());
  }

  private CdpConnection listen() {
    socket.textMessageHandler(this::onMessage);
    socket.exceptionHandler(err -> log.debug("devtools connection failed error={}", err.toString()));
    socket.closeHandler(v -> onClosed());
    return this;
  }

  /** The browser's own session: {@code Target.*}, {@code Browser.*}, {@code SystemInfo.*}. */
  public CdpSession browser() {
    return browser;
  }

  /**
   * Attaches to a target ({@code Target.createTarget}'s {@code targetId}) as a flat session: its
   * commands and events travel on this connection.
   */
  public Future<CdpSession> attach(String targetId) {
    return browser.send("Target.attachToTarget", new JsonObject().put("targetId", targetId).put("flatten", true))
        .map(result -> session(result.getString("sessionId")));
  }

  /** The session {@code sessionId}, known from here on (events that arrive for it are kept for its handlers). */
  CdpSession session(String sessionId) {
    return sessions.computeIfAbsent(sessionId, id -> new CdpSession(this, id));
  }

  /** Completes once the socket has closed: the browser went away, or {@link #close()} was called. */
  public Future<Void> closed() {
    return closed.future();
  }

  public boolean isClosed() {
    return closed.future().isComplete();
  }

  /** Closes the socket; every command still waiting fails. */
  public Future<Void> close() {
    if (!isClosed()) {
      socket.close();
    }
    return closed.future().eventually(() -> client.close());
  }

  Future<JsonObject> send(String sessionId, String method, JsonObject params) {
    if (isClosed()) {
      return Future.failedFuture(CdpException.closed(method));
    }
    long id = nextId++;
    JsonObject message = new JsonObject().put("id", id).put("method", method);
    if (params != null) {
      message.put("params", params);
    }
    if (!sessionId.isEmpty()) {
      message.put("sessionId", sessionId);
    }
    Promise<JsonObject> answer = Promise.promise();
    pending.put(id, new Pending(sessionId, method, answer));
    socket.writeTextMessage(message.encode()).onFailure(err -> {
      Pending waiting = pending.remove(id);
      if (waiting != null) {
        waiting.answer().tryFail(new CdpException(method, CdpException.NO_ANSWER, "not sent: " + err.getMessage()));
      }
    });
    return answer.future();
  }

  private void onMessage(String text) {
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (DecodeException e) {
      log.debug("devtools message not JSON length={}", text.length());
      return;
    }
    Long id = message.getLong("id");
    if (id != null) {
      Pending waiting = pending.remove(id);
      if (waiting == null) {
        return;
      }
      JsonObject error = message.getJsonObject("error");
      if (error != null) {
        waiting.answer().tryFail(new CdpException(waiting.method(), error.getInteger("code", -1),
            error.getString("message", "") + (error.containsKey("data") ? " (" + error.getValue("data") + ")" : "")));
      } else {
        waiting.answer().tryComplete(message.getJsonObject("result", new JsonObject()));
      }
      return;
    }
    String method = message.getString("method");
    if (method == null) {
      return;
    }
    String sessionId = message.getString("sessionId", "");
    JsonObject params = message.getJsonObject("params", new JsonObject());
    if (method.equals("Target.detachedFromTarget")) {
      browser.dispatch(method, params);
      detached(params.getString("sessionId"), "detached from its target");
      return;
    }
    CdpSession session = sessionId.isEmpty() ? browser : sessions.get(sessionId);
    if (session != null) {
      session.dispatch(method, params);
    }
  }

  /** The session is over: its waiting commands fail, its handlers hear no more. */
  void detached(String sessionId, String why) {
    CdpSession session = sessions.remove(sessionId);
    failPending(p -> p.sessionId().equals(sessionId), why);
    if (session != null) {
      session.ended(why);
    }
  }

  private void onClosed() {
    // Closed first: whatever the failures below set off must find the connection closed.
    closed.tryComplete();
    failPending(p -> true, "the DevTools connection closed");
    for (CdpSession session : Map.copyOf(sessions).values()) {
      session.ended("the DevTools connection closed");
    }
    sessions.clear();
    browser.ended("the DevTools connection closed");
  }

  private void failPending(java.util.function.Predicate<Pending> which, String why) {
    Iterator<Pending> it = pending.values().iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      if (which.test(p)) {
        it.remove();
        p.answer().tryFail(new CdpException(p.method(), CdpException.NO_ANSWER, why));
      }
    }
  }

  /** Commands waiting for an answer (for tests: none may be left behind). */
  int waitingCommands() {
    return pending.size();
  }
}
