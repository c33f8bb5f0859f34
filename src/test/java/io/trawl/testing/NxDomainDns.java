package io.trawl.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.dns.AddressResolverOptions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS server on 127.0.0.1 that answers every query "no such name" (NXDOMAIN), so a test of
 * name resolution neither depends on nor touches the machine's resolver or the network. Point a
 * Vert.x instance at it with {@link #resolverOptions()}.
 */
public final class NxDomainDns {
  public static final long QUERY_TIMEOUT_MS = 10_000;
  private static final int FLAGS_NXDOMAIN = 0x8183; // response, recursion desired and available, rcode 3
  private final DatagramSocket socket;
  private final AtomicInteger queries = new AtomicInteger();

  private NxDomainDns(DatagramSocket socket) {
    this.socket = socket;
  }

  public static NxDomainDns start(Vertx vertx) {
    DatagramSocket socket = vertx.createDatagramSocket();
    NxDomainDns dns = new NxDomainDns(socket);
    socket.handler(packet -> dns.answer(packet.data(), packet.sender().host(), packet.sender().port()));
    Await.result(socket.listen(0, "127.0.0.1"));
    return dns;
  }

  /**
   * Resolver options that ask only this server, once, without search domains. The query timeout
   * is long ({@value #QUERY_TIMEOUT_MS} ms), so a caller that missed the answer and waited for the
   * timeout instead stands out from one that failed fast on it, however busy the machine.
   */
  public AddressResolverOptions resolverOptions() {
    return new AddressResolverOptions()
        .setServers(List.of("127.0.0.1:" + socket.localAddress().port()))
        .setSearchDomains(List.of())
        .setQueryTimeout(QUERY_TIMEOUT_MS)
        .setMaxQueries(1);
  }

  /** Queries answered so far. */
  public int queries() {
    return queries.get();
  }

  private void answer(Buffer query, String host, int port) {
    if (query.length() < 12) {
      return;
    }
    int end = 12;
    while (end < query.length() && query.getUnsignedByte(end) != 0) {
      end += query.getUnsignedByte(end) + 1;
    }
    end += 5; // the root label, QTYPE and QCLASS
    if (end > query.length()) {
      return;
    }
    queries.incrementAndGet();
    Buffer reply = Buffer.buffer()
        .appendBuffer(query.slice(0, 2))
        .appendUnsignedShort(FLAGS_NXDOMAIN)
        .appendUnsignedShort(1)
        .appendUnsignedShort(0)
        .appendUnsignedShort(0)
        .appendUnsignedShort(0)
        .appendBuffer(query.slice(12, end));
    socket.send(reply, port, host);
  }
}
