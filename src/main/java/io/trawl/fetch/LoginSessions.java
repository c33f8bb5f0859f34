package io.trawl.fetch;

import io.trawl.config.HostSettings;
import io.trawl.config.TrawlConfig;
import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logins of the {@code hosts:} entries that declare one: at most one running per entry, shared
 * by every fetcher that asks. A login sends the form ({@code POST} as {@code
 * application/x-www-form-urlencoded}, or {@code GET} with it in the query) to its URL through the
 * crawl's fetch context, so the cookies it gets land in the crawl's jar; it worked when the page it
 * ends on (after redirects) is a 2xx whose HTML holds the {@code success} selector. Each login that
 * works starts a new generation of the session; a fetcher that finds generation {@code g} lost asks
 * again with {@code g}, and only the first such ask logs in again (the others get the new one). A
 * failed login is not tried again for {@code holdFor}: the asks in between fail at once. Event loop
 * of the login verticle; pages are parsed on a worker. Form values are never logged.
 */
final class LoginSessions {
  private static final Logger log = LoggerFactory.getLogger(LoginSessions.class);

  /** One entry's session. */
  private static final class Session {
    long generation;
    Future<Long> pending;
    long failedUntilMs;
    CrawlException failure;
  }

  private final Vertx vertx;
  private final HttpFetcher fetcher;
  private final Map<String, HostSettings> entries = new HashMap<>();
  private final Map<String, Session> sessions = new HashMap<>();
  private final long holdMs;
  private final LongSupplier clock;

  LoginSessions(Vertx vertx, HttpFetcher fetcher, Iterable<HostSettings> entries, Duration holdFor) {
    this.vertx = vertx;
    this.fetcher = fetcher;
    entries.forEach(settings -> this.entries.put(settings.pattern(), settings));
    this.holdMs = holdFor.toMillis();
    this.clock = System::currentTimeMillis;
  }

  /**
   * The generation of the logged-in session of {@code pattern}: the current one, or a new one
   * when there is none yet or {@code lostGeneration} is the current one.
   */
  Future<Long> session(String pattern, long lostGeneration) {
    HostSettings settings = entries.get(pattern);
    if (settings == null || settings.login().isNone()) {
      return Future.failedFuture(new CrawlException(FailureKind.INTERNAL, pattern, "no login declared for it"));
    }
    Session session = sessions.computeIfAbsent(pattern, p -> new Session());
    if (session.pending != null) {
      return session.pending;
    }
    if (session.generation > 0 && session.generation != lostGeneration) {
      return Future.succeededFuture(session.generation);
    }
    if (session.failure != null && clock.getAsLong() < session.failedUntilMs) {
      return Future.failedFuture(session.failure);
    }
    TrawlConfig.Login login = settings.login();
    session.pending = login(login)
        .map(v -> ++session.generation)
        .onSuccess(generation -> {
          session.failure = null;
          log.info("logged in hosts={} url={} session={}", pattern, login.url(), generation);
        })
        .onFailure(err -> {
          session.failure = err instanceof CrawlException crawl ? crawl
              : new CrawlException(FailureKind.LOGIN, login.url(), String.valueOf(err.getMessage()), err);
          session.failedUntilMs = clock.getAsLong() + holdMs;
          log.warn("login failed hosts={} url={} error={}", pattern, login.url(), err.getMessage());
        })
        .onComplete(ar -> session.pending = null);
    return session.pending;
  }

  private Future<Void> login(TrawlConfig.Login login) {
    String form = encoded(login.form());
    boolean get = login.method().equals("GET");
    String url = get && !form.isEmpty() ? login.url() + (login.url().contains("?") ? "&" : "?") + form : login.url();
    Future<FetchResult> answer = get
        ? fetcher.submit(url, HttpMethod.GET, null, null)
        : fetcher.submit(url, HttpMethod.POST, Buffer.buffer(form), "application/x-www-form-urlencoded");
    // The kind alone: a GET login's URL carries the form, whose values are never shown.
    return answer
        .recover(err -> Future.failedFuture(new CrawlException(FailureKind.LOGIN, login.url(),
            "no answer (" + (err instanceof CrawlException crawl ? crawl.kind().code() : "internal") + ")")))
        .compose(result -> checked(login, result));
  }

  private Future<Void> checked(TrawlConfig.Login login, FetchResult result) {
    if (result.status() < 200 || result.status() >= 300) {
      return Future.failedFuture(new CrawlException(FailureKind.LOGIN, login.url(),
          "ended on " + LoginCheck.withoutQuery(result.finalUrl()) + " with status " + result.status()));
    }
    return vertx.executeBlocking(() -> LoginCheck.holds(result.body(), result.finalUrl(), login.success()), false)
        .compose(found -> found ? Future.<Void>succeededFuture()
            : Future.failedFuture(new CrawlException(FailureKind.LOGIN, login.url(),
                "ended on " + LoginCheck.withoutQuery(result.finalUrl()) + ", which has nothing matching "
                    + login.success())));
  }

  private static String encoded(Map<String, String> form) {
    StringJoiner pairs = new StringJoiner("&");
    form.forEach((name, value) -> pairs.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return pairs.toString();
  }
}
