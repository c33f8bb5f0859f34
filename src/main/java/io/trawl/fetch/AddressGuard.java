package io.trawl.fetch;

import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.resolver.NameResolver;
import io.vertx.core.net.SocketAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * {@code fetch.block_private_addresses}: resolves a request's host once and hands the HTTP client
 * the resolved address to connect to, after refusing it if it is one a crawler must not reach
 * ({@link #isPrivate}). The check and the connection use the same address, so a DNS server that
 * answers a public address to one lookup and a private one to the next (DNS rebinding) gains
 * nothing: there is no second lookup. Resolution goes through the resolver the HTTP client itself
 * uses (Vert.x's, asynchronous: the hosts file, the configured DNS servers, search domains and
 * its cache), which Vert.x 5 exposes only on {@link VertxInternal}. Event loop.
 */
final class AddressGuard {
  private final NameResolver resolver;
  private final Predicate<InetAddress> blocked;

  /** @param blocked which resolved addresses are refused: {@link #isPrivate} but in tests */
  AddressGuard(Vertx vertx, Predicate<InetAddress> blocked) {
    this.resolver = ((VertxInternal) vertx).nameResolver();
    this.blocked = blocked;
  }

  /**
   * The address to connect to for {@code host} (a name or an IP literal, IPv6 in brackets) and
   * {@code port}; fails as {@code blocked_address} when it is refused, or with the resolver's error.
   *
   * @param url the URL being fetched, for the error
   */
  Future<SocketAddress> server(String url, String host, int port) {
    String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return resolver.resolve(name).compose(address -> {
      if (blocked.test(address)) {
        return Future.failedFuture(new CrawlException(FailureKind.BLOCKED_ADDRESS, url,
            host + " resolved to " + address.getHostAddress()));
      }
      // By its bytes alone, so that the client connects to exactly this address, never a name.
      InetAddress ip = byAddress(address);
      return Future.succeededFuture(SocketAddress.inetSocketAddress(new InetSocketAddress(ip, port)));
    });
  }

  private static InetAddress byAddress(InetAddress address) {
    return byAddress(address.getAddress());
  }

  /**
   * Whether {@code address} is one {@code fetch.block_private_addresses} refuses: loopback
   * (127/8, ::1), link-local (169.254/16, fe80::/10), private (10/8, 172.16/12, 192.168/16,
   * fc00::/7, the old site-local fec0::/10), unspecified (0.0.0.0, ::) and multicast; also the
   * rest of 0/8 (Linux connects 0.x.x.x to the local host), shared address space 100.64/10 (carrier
   * NAT), benchmarking 198.18/15, reserved 240/4 and broadcast, and an IPv4 address embedded in
   * IPv6 (IPv4-mapped {@code ::ffff:a.b.c.d}, which Java already reads as IPv4; IPv4-compatible
   * {@code ::a.b.c.d}; NAT64 {@code 64:ff9b::/96}) when the IPv4 address is refused.
   */
  static boolean isPrivate(InetAddress address) {
    if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
        || address.isAnyLocalAddress() || address.isMulticastAddress()) {
      return true;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0
          || (first == 100 && (second & 0xc0) == 64)
          || (first == 198 && (second & 0xfe) == 18)
          || first >= 240;
    }
    if ((b[0] & 0xfe) == 0xfc) {
      return true;
    }
    boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
        && Arrays.equals(b, 4, 12, new byte[8], 0, 8);
    if (nat64 || ((Inet6Address) address).isIPv4CompatibleAddress()) {
      return isPrivate(byAddress(Arrays.copyOfRange(b, 12, 16)));
    }
    return false;
  }

  private static InetAddress byAddress(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("an address of 4 or 16 bytes is always accepted", e);
    }
  }
}
