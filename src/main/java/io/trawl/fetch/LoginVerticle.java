package io.trawl.fetch;

import io.trawl.bus.Addresses;
import io.trawl.bus.LoginRequest;
import io.trawl.bus.Replies;
import io.trawl.config.TrawlConfig;
import io.trawl.core.FailureKind;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;

/**
 * Runs the {@code hosts:} logins for every fetcher of the crawl ({@link Addresses#LOGIN}, {@link
 * LoginSessions}): one instance, so one login at a time per entry. Its requests share the crawl's
 * fetch context (cookies, proxies, host settings). Deployed before the fetchers, only when an entry
 * declares a login. Event loop.
 */
public final class LoginVerticle extends VerticleBase {
  private final TrawlConfig config;
  private final FetchContext context;
  private HttpFetcher fetcher;
  private LoginSessions logins;

  public LoginVerticle(TrawlConfig config, FetchContext context) {
    this.config = config;
    this.context = context;
  }

  /** Whether any {@code hosts:} entry of {@code context} declares a login. */
  public static boolean needed(FetchContext context) {
    return context.hosts().entries().stream().anyMatch(settings -> !settings.login().isNone());
  }

  @Override
  public Future<?> start() {
    fetcher = new HttpFetcher(vertx, config.fetch(), context);
    logins = new LoginSessions(vertx, fetcher, context.hosts().entries(), config.circuit().openFor());
    return vertx.eventBus().<LoginRequest>localConsumer(Addresses.LOGIN, this::onLoginRequest).completion();
  }

  @Override
  public Future<?> stop() {
    return fetcher.close();
  }

  private void onLoginRequest(Message<LoginRequest> msg) {
    LoginRequest request = msg.body();
    logins.session(request.pattern(), request.lostGeneration())
        .onSuccess(msg::reply)
        .onFailure(err -> Replies.fail(msg, FailureKind.LOGIN, String.valueOf(err.getMessage())));
  }
}
