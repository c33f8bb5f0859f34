package io.trawl.render;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One DevTools session: the browser's own, or a target's (a tab) attached in flat mode. Sends
 * commands ({@code Page.navigate}, {@code Runtime.evaluate}...) and hands the session's events to
 * the handlers registered for them. Runs on its {@link CdpConnection}'s event loop; register and
 * send only from there.
 */
public final class CdpSession {
  private final CdpConnection connection;
  private final String id;
  private final Map<String, List<Handler<JsonObject>>> handlers = new HashMap<>();
  private final Promise<String> ended = Promise.promise();
  private BiConsumer<String, JsonObject> everyEvent;

  CdpSession(CdpConnection connection, String id) {
    this.connection = connection;
    this.id = id;
  }

  /** The session id, "" for the browser's own session. */
  public String id() {
    return id;
  }

  /** Sends {@code method} with {@code params} (null for none); the future holds the command's result. */
  public Future<JsonObject> send(String method, JsonObject params) {
    if (ended.future().isComplete()) {
      return Future.failedFuture(new CdpException(method, CdpException.NO_ANSWER, ended.future().result()));
    }
    return connection.send(id, method, params);
  }

  public Future<JsonObject> send(String method) {
    return send(method, null);
  }

  /**
   * Calls {@code handler} with the params of every {@code event} of this session ({@code
   * Runtime.consoleAPICalled}, {@code Page.loadEventFired}...), after the handlers registered
   * before it. The domain must be enabled ({@code Runtime.enable}...) for the browser to send it.
   */
  public CdpSession on(String event, Handler<JsonObject> handler) {
    handlers.computeIfAbsent(event, e -> new ArrayList<>(1)).add(handler);
    return this;
  }

  /** Calls {@code handler} with every event of this session, its method and params, before the {@link #on} handlers. */
  public CdpSession onEveryEvent(BiConsumer<String, JsonObject> handler) {
    this.everyEvent = handler;
    return this;
  }

  /**
   * Completes, with the reason, once the session is over: its target closed or crashed away, it
   * was detached, or the connection closed. Commands sent after that fail at once.
   */
  public Future<String> ended() {
    return ended.future();
  }

  void dispatch(String method, JsonObject params) {
    if (everyEvent != null) {
      everyEvent.accept(method, params);
    }
    List<Handler<JsonObject>> registered = handlers.get(method);
    if (registered != null) {
      for (Handler<JsonObject> handler : List.copyOf(registered)) {
        handler.handle(params);
      }
    }
  }

  void ended(String why) {
    ended.tryComplete(why);
  }
}
