package io.trawl.render;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A headless Chromium and the DevTools connection to it: {@link #launch} starts a process of ours
 * with a fresh profile in a temporary directory ({@link #close} ends it and deletes the profile);
 * {@link #connect} uses a browser someone else runs ({@link #close} then only disconnects). {@link
 * #newPage} opens tabs. {@link #gone()} completes when the browser went away by itself (crashed,
 * killed, disconnected) as well. Process work (starting, waiting, deleting) runs on worker
 * threads; everything else on the event loop of the context that launched or connected it: call
 * it only from there.
 */
public final class Browser {
  private static final Logger log = LoggerFactory.getLogger(Browser.class);
  private static final long POLL_MS = 20;
  private static final long CLOSE_GRACE_MS = 3_000;
  private static final int STDERR_TAIL_CHARS = 1_500;
  /** How long the browser may take to draw a blank tab's first frame when asked whether it can ({@link #framesOnDemand}). */
  private static final long PROBE_MS = 10_000;

  /**
   * @param executable the Chromium executable: a path, or a name looked up on PATH
   * @param startTimeout how long the browser may take to listen for DevTools
   * @param maxMessageBytes the largest DevTools message read (an {@code outerHTML}, a screenshot)
   */
  public record Options(String executable, Duration startTimeout, int maxMessageBytes) {
    /** {@code executable} with a minute to start (seconds on a loaded machine) and 64 MB messages. */
    public static Options of(String executable) {
      return new Options(executable, Duration.ofSeconds(60), 64 << 20);
    }
  }

  private final Vertx vertx;
  private final Started started;
  private final CdpConnection cdp;
  private final String devToolsUrl;
  private final long pid;
  /** The tabs' frames, when this browser takes them from us (a headless shell); else null. */
  private final FrameClock frames;
  private final Promise<Void> gone = Promise.promise();
  private boolean closing;

  /** The process as started, its temporary directory, and the files in it. */
  private record Started(Path executable, Process process, Path dir, Path profile, Path stderr) {}

  /** {@code started} null: a browser we only connected to. */
  private Browser(Vertx vertx, Context context, Started started, CdpConnection cdp, String devToolsUrl, long pid,
      boolean framesOnDemand) {
    this.vertx = vertx;
    this.started = started;
    this.cdp = cdp;
    this.devToolsUrl = devToolsUrl;
    this.pid = pid;
    this.frames = framesOnDemand ? new FrameClock(vertx) : null;
    cdp.closed().onComplete(ar -> gone.tryComplete());
    if (started != null) {
      started.process().onExit().thenRun(() -> context.runOnContext(v -> gone.tryComplete()));
    }
  }

  /**
   * Connects to a browser that is already running, at its DevTools URL ({@code
   * ws://host:port/devtools/browser/<id>}). Call on the event loop that will use it.
   */
  public static Future<Browser> connect(Vertx vertx, String webSocketUrl, int maxMessageBytes) {
    Context context = vertx.getOrCreateContext();
    return CdpConnection.connect(vertx, webSocketUrl, maxMessageBytes)
        .compose(cdp -> browserPid(cdp, null)
            .map(pid -> new Browser(vertx, context, null, cdp, webSocketUrl, pid, false))
            .onFailure(err -> cdp.close()))
        .recover(err -> Future.failedFuture(new BrowserException(
            "no browser answers at " + webSocketUrl + ": " + err.getMessage(), err)));
  }

  /** Whether {@code executable} names a running browser's DevTools URL rather than a program. */
  public static boolean isDevToolsUrl(String executable) {
    return executable.startsWith("ws://") || executable.startsWith("wss://");
  }

  /**
   * Starts a browser and connects to it. Call on the event loop that will use it. Fails with a
   * {@link BrowserException} naming the executable when there is none, or when it did not start
   * (with the end of what it printed).
   */
  public static Future<Browser> launch(Vertx vertx, Options options) {
    Context context = vertx.getOrCreateContext();
    long deadline = System.nanoTime() + options.startTimeout().toNanos();
    return vertx.executeBlocking(() -> start(options), false)
        .compose(started -> endpoint(vertx, started, deadline)
            .compose(url -> CdpConnection.connect(vertx, url, options.maxMessageBytes())
                .compose(cdp -> browserPid(cdp, started)
                    .compose(pid -> (Chromium.isHeadlessShell(started.executable()) ? framesOnDemand(cdp)
                            : Future.succeededFuture(false))
                        .map(frames -> new Browser(vertx, context, started, cdp, url, pid, frames)))
                    .onFailure(err -> cdp.close())))
            .recover(err -> kill(vertx, started, List.of())
                .transform(v -> Future.<Browser>failedFuture(err instanceof BrowserException ? err
                    : new BrowserException("Chromium (" + options.executable() + ") did not start: " + err.getMessage(), err)))));
  }

  private static Started start(Options options) throws IOException {
    Path executable = Chromium.find(options.executable())
        .orElseThrow(() -> new BrowserException("render.browser: " + Chromium.notFound(options.executable())));
    Path dir = Files.createTempDirectory("trawl-chromium-");
    Path profile = Files.createDirectory(dir.resolve("profile"));
    Path stderr = dir.resolve("stderr.log");
    ProcessBuilder builder = new ProcessBuilder(
        Chromium.watched(Chromium.command(executable, profile, Chromium.sandboxAllowed())))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(stderr.toFile());
    try {
      return new Started(executable, builder.start(), dir, profile, stderr);
    } catch (IOException e) {
      deleteQuietly(dir);
      throw new BrowserException("cannot run " + executable + ": " + e.getMessage(), e);
    }
  }

  /**
   * The DevTools URL, from the {@code DevToolsActivePort} file the browser writes in its profile
   * once it listens (its port, then the path): read every {@value #POLL_MS} ms, without blocking.
   */
  private static Future<String> endpoint(Vertx vertx, Started started, long deadline) {
    Promise<String> url = Promise.promise();
    poll(vertx, started, deadline, url);
    return url.future();
  }

  private static void poll(Vertx vertx, Started started, long deadline, Promise<String> url) {
    Path portFile = started.profile().resolve("DevToolsActivePort");
    vertx.fileSystem().readFile(portFile.toString()).onComplete(ar -> {
      if (ar.succeeded()) {
        String[] lines = ar.result().toString(StandardCharsets.UTF_8).split("\n");
        if (lines.length >= 2 && lines[1].startsWith("/devtools/browser/")) {
          url.complete("ws://127.0.0.1:" + lines[0].trim() + lines[1].trim());
          return;
        }
      }
      if (!started.process().isAlive()) {
        stderrTail(vertx, started).onComplete(tail -> url.tryFail(new BrowserException(
            "Chromium exited with code " + started.process().exitValue() + " before listening for DevTools"
                + (tail.succeeded() && !tail.result().isBlank() ? "; it printed: " + tail.result() : ""))));
      } else if (System.nanoTime() > deadline) {
        url.fail(new BrowserException("Chromium did not listen for DevTools within the start timeout"));
      } else {
        vertx.setTimer(POLL_MS, id -> poll(vertx, started, deadline, url));
      }
    });
  }

  private static Future<String> stderrTail(Vertx vertx, Started started) {
    return vertx.fileSystem().readFile(started.stderr().toString()).map(Buffer::toString).map(text -> {
      String tail = text.length() > STDERR_TAIL_CHARS ? text.substring(text.length() - STDERR_TAIL_CHARS) : text;
      return tail.strip().replace('\n', ' ');
    });
  }

  /** The browser process's id, as the browser itself reports it (the watchdog shell is its parent). */
  private static Future<Long> browserPid(CdpConnection cdp, Started started) {
    return cdp.browser().send("SystemInfo.getProcessInfo").map(info -> {
      JsonArray processes = info.getJsonArray("processInfo", new JsonArray());
      for (int i = 0; i < processes.size(); i++) {
        JsonObject process = processes.getJsonObject(i);
        if ("browser".equals(process.getString("type"))) {
          return process.getLong("id");
        }
      }
      return started == null ? -1L : started.process().pid();
    });
  }

  /**
   * Whether the headless shell we started can take its tabs' frames from us ({@link FrameClock}),
   * as one started with {@code --run-all-compositor-stages-before-draw} ({@link Chromium}) can.
   * Asked of the browser itself, with a tab of its own closed again, since a shell of another
   * build may not know the command; other browsers ({@code chromium}'s own headless mode) are not
   * asked: they do not have it. Never fails.
   * A browser we only {@link #connect} to keeps its own frames: another program may be sending it
   * frames as well, and two senders' frames overlapping crash it.
   */
  private static Future<Boolean> framesOnDemand(CdpConnection cdp) {
    CdpSession root = cdp.browser();
    return root.send("Target.createBrowserContext", new JsonObject().put("disposeOnDetach", true))
        .map(context -> context.getString("browserContextId"))
        .compose(contextId -> root.send("Target.createTarget", new JsonObject().put("url", "about:blank")
                .put("browserContextId", contextId).put("enableBeginFrameControl", true))
            .map(target -> target.getString("targetId"))
            .compose(targetId -> cdp.attach(targetId)
                .compose(session -> session.send("HeadlessExperimental.beginFrame", new JsonObject().put("noDisplayUpdates", true)))
                .timeout(PROBE_MS, TimeUnit.MILLISECONDS)
                .transform(frame -> root.send("Target.closeTarget", new JsonObject().put("targetId", targetId))
                    .transform(closed -> Future.succeededFuture(frame.succeeded()))))
            .eventually(() -> root.send("Target.disposeBrowserContext", new JsonObject().put("browserContextId", contextId))))
        .recover(err -> Future.succeededFuture(false));
  }

  /** Where the browser listens for DevTools: {@code ws://127.0.0.1:<port>/devtools/browser/<id>}. */
  public String devToolsUrl() {
    return devToolsUrl;
  }

  /** Whether this browser's tabs take their frames from us ({@link FrameClock}) rather than from its own clock. */
  public boolean framesOnDemand() {
    return frames != null;
  }

  /** The DevTools connection: the browser's own session and every tab's. */
  public CdpConnection devtools() {
    return cdp;
  }

  /** The browser process's id (not the watchdog shell's): killing it is a crash; -1 if it did not say. */
  public long pid() {
    return pid;
  }

  /** Completes when the browser is gone: closed, crashed or killed (its process ended or its connection closed). */
  public Future<Void> gone() {
    return gone.future();
  }

  public boolean isGone() {
    return gone.future().isComplete();
  }

  /**
   * A new tab, alone in a browser context of its own (cookies, storage and cache not shared, its
   * own renderer process), showing {@code about:blank}.
   */
  public Future<BrowserPage> newPage() {
    CdpSession browser = cdp.browser();
    return browser.send("Target.createBrowserContext", new JsonObject().put("disposeOnDetach", true))
        .map(result -> result.getString("browserContextId"))
        .compose(contextId -> browser.send("Target.createTarget",
                new JsonObject().put("url", "about:blank").put("browserContextId", contextId)
                    .put("enableBeginFrameControl", frames != null))
            .map(result -> result.getString("targetId"))
            .compose(targetId -> cdp.attach(targetId)
                .map(session -> new BrowserPage(this, session, targetId, contextId, frames)))
            .recover(err -> browser.send("Target.disposeBrowserContext", new JsonObject().put("browserContextId", contextId))
                .transform(v -> Future.failedFuture(err))));
  }

  /** Process ids and CPU seconds of the browser and its helper processes (renderers, network, GPU), as it reports them. */
  public Future<List<JsonObject>> processes() {
    return cdp.browser().send("SystemInfo.getProcessInfo")
        .map(info -> info.getJsonArray("processInfo", new JsonArray()).stream()
            .map(JsonObject.class::cast)
            .toList());
  }

  /**
   * Ends a browser of ours: asks it to close, kills it if it has not within {@value #CLOSE_GRACE_MS}
   * ms (or at once if it is already gone), and deletes its profile; disconnects from one we only
   * connected to. Never fails.
   */
  public Future<Void> close() {
    if (closing) {
      return gone.future().transform(ar -> Future.succeededFuture());
    }
    closing = true;
    if (frames != null) {
      frames.stop();
    }
    if (started == null) {
      return cdp.close().onComplete(ar -> gone.tryComplete()).transform(ar -> Future.succeededFuture());
    }
    // Its helpers, listed while they are still its descendants: once it exits they are not.
    Future<List<ProcessHandle>> helpers = vertx.executeBlocking(() -> started.process().descendants().toList(), false);
    return helpers
        .compose(list -> cdp.isClosed() ? Future.succeededFuture()
            : cdp.browser().send("Browser.close").transform(ar -> Future.succeededFuture()))
        .transform(ar -> cdp.close())
        .transform(ar -> vertx.executeBlocking(() -> awaitExit(started.process(), CLOSE_GRACE_MS), false))
        .transform(ar -> kill(vertx, started, helpers.succeeded() ? helpers.result() : List.of()))
        .onComplete(ar -> gone.tryComplete());
  }

  /**
   * Closes the watchdog's stdin (which kills the browser), waits for the browser and its helper
   * processes (renderers, zygotes, crash handler: they exit on their own once it is gone, within
   * a moment), kills any still there after {@value #CLOSE_GRACE_MS} ms, and deletes the directory.
   */
  private static Future<Void> kill(Vertx vertx, Started started, List<ProcessHandle> known) {
    return vertx.executeBlocking(() -> {
      Process process = started.process();
      List<ProcessHandle> helpers = new java.util.ArrayList<>(known);
      process.descendants().filter(p -> !known.contains(p)).forEach(helpers::add);
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.flush();
      } catch (IOException e) {
        log.debug("browser stdin already closed pid={}", process.pid());
      }
      if (!awaitExit(process, CLOSE_GRACE_MS)) {
        process.destroyForcibly();
        awaitExit(process, CLOSE_GRACE_MS);
      }
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MS);
      for (ProcessHandle helper : helpers) {
        try {
          helper.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
          log.debug("browser helper process still running, killed pid={}", helper.pid());
          helper.destroyForcibly();
        }
      }
      deleteQuietly(started.dir());
      return null;
    }, false);
  }

  private static boolean awaitExit(Process process, long ms) throws InterruptedException {
    return process.waitFor(ms, TimeUnit.MILLISECONDS);
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      log.debug("browser profile not deleted dir={} error={}", dir, e.toString());
    }
  }
}
