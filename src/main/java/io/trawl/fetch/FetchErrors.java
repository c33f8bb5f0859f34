package io.trawl.fetch;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.resolver.dns.DnsNameResolverException;
import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Maps what Vert.x and Netty throw to the stable {@link FailureKind} words, keeping the cause. */
final class FetchErrors {
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
    String message = String.valueOf(err.getMessage()).toLowerCase(java.util.Locale.ROOT);
    if (message.contains("failed to resolve") || message.contains("search domain query failed")) {
      return FailureKind.DNS;
    }
    if (message.contains("connection refused")) {
      return FailureKind.CONNECT;
    }
    return bodyShort ? FailureKind.TRUNCATED : FailureKind.RESET;
  }
}
