package io.trawl.fetch;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.proxy.ProxyConnectException;
import io.netty.resolver.dns.DnsNameResolverException;
import io.trawl.config.TrawlConfig;
import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Maps what Vert.x and Netty throw to the stable {@link FailureKind} words, keeping the cause. */
final class FetchErrors {
  /** A CONNECT answered by the proxy for a target it could not reach, or SOCKS's equivalents. */
  private static final Pattern TARGET_UNREACHABLE =
      Pattern.compile("status: (50[234]|HOST_UNREACHABLE|NETWORK_UNREACHABLE|CONNECTION_REFUSED|TTL_EXPIRED)");

  private FetchErrors() {}

  /**
   * A failure once the request is on its way: sending it, or reading the response.
   *
   * @param bodyShort whether a response had started and its body ended before its Content-Length
   */
  static CrawlException of(String url, Throwable err, boolean bodyShort) {
    return of(url, err, bodyShort, FailureKind.PROTOCOL);
  }

  /** A failure before anything was sent: resolving the host, connecting. */
  static CrawlException connecting(String url, Throwable err) {
    return of(url, err, false, FailureKind.BAD_URL);
  }

  /** The same through {@code proxy} (null: none), whose name (never its password) the error gives. */
  static CrawlException connecting(String url, Throwable err, TrawlConfig.Proxy proxy) {
    CrawlException failed = connecting(url, err);
    if (proxy == null || err instanceof CrawlException) {
      return failed;
    }
    return new CrawlException(failed.kind(), url, "through proxy " + proxy + ": " + detail(err), err);
  }

  /**
   * Why connecting through a proxy failed because of the proxy itself, or null when the proxy
   * only relayed the target's failure. The proxy's: it cannot be resolved, connected to or
   * spoken with, or refuses us (407, SOCKS authentication). The target's: a CONNECT answered 502,
   * 503 or 504, a SOCKS server that could not reach it.
   */
  static String proxyFailure(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof ProxyConnectException proxy) {
        String message = String.valueOf(proxy.getMessage());
        if (TARGET_UNREACHABLE.matcher(message).find()) {
          return null;
        }
        return message.contains("407") ? "answered 407 Proxy Authentication Required" : "refused: " + message;
      }
    }
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof ConnectTimeoutException || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException || t instanceof DnsNameResolverException) {
        return "cannot be connected to: " + detail(t);
      }
    }
    String message = String.valueOf(err.getMessage()).toLowerCase(Locale.ROOT);
    return message.contains("connection refused") || message.contains("failed to resolve")
        ? "cannot be connected to: " + detail(err) : null;
  }

  private static String detail(Throwable err) {
    return err.getClass().getSimpleName() + ": " + err.getMessage();
  }

  /**
   * @param refused the kind of an IllegalArgumentException: before sending, the client refusing
   *     the URL (a port out of range); after, Netty refusing the response (a status line that is
   *     not HTTP, a Content-Length that is not a number, a bad chunk size)
   */
  private static CrawlException of(String url, Throwable err, boolean bodyShort, FailureKind refused) {
    if (err instanceof CrawlException crawl) {
      return crawl;
    }
    String detail = err.getClass().getSimpleName() + ": " + err.getMessage();
    return new CrawlException(kind(err, bodyShort, refused), url, detail, err);
  }

  private static FailureKind kind(Throwable err, boolean bodyShort, FailureKind refused) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof DnsNameResolverException) {
        return FailureKind.DNS;
      }
      if (t instanceof ConnectTimeoutException || t instanceof TimeoutException
          || t.getClass().getSimpleName().contains("Timeout")) {
        return FailureKind.TIMEOUT;
      }
      if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return FailureKind.CONNECT;
      }
      if (t instanceof SSLException || t instanceof DecoderException) {
        return FailureKind.PROTOCOL;
      }
      if (t instanceof IllegalArgumentException) {
        return refused;
      }
      if (t instanceof HttpClosedException || t instanceof ClosedChannelException || t instanceof StreamResetException) {
        return bodyShort ? FailureKind.TRUNCATED : FailureKind.RESET;
      }
    }
    String message = String.valueOf(err.getMessage()).toLowerCase(Locale.ROOT);
    if (message.contains("failed to resolve") || message.contains("search domain query failed")) {
      return FailureKind.DNS;
    }
    if (message.contains("connection refused")) {
      return FailureKind.CONNECT;
    }
    return bodyShort ? FailureKind.TRUNCATED : FailureKind.RESET;
  }
}
