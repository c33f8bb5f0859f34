package io.trawl.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.dns.AddressResolverOptions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS server on 127.0.0.1 that says every name is 127.0.0.1 (an A record; no AAAA), so a test
 * can fetch a host name that resolves to a loopback address without the machine's resolver or
 * the network. Point a Vert.x instance at it with {@link #resolverOptions()}.
 */
public final class LoopbackDns {
  private static final int FLAGS_OK = 0x8180; // response, recursion desired and available, no error
  private static final int TYPE_A = 1;
  private final DatagramSocket socket;
  private final AtomicInteger queries = new AtomicInteger();

  private LoopbackDns(DatagramSocket socket) {
    this.socket = socket;
  }

  public static LoopbackDns start(Vertx vertx) {
    DatagramSocket socket = vertx.createDatagramSocket();
    LoopbackDns dns = new LoopbackDns(socket);
    socket.handler(packet -> dns.answer(packet.data(), packet.sender().host(), packet.sender().port()));
    Await.result(socket.listen(0, "127.0.0.1"));
    return dns;
  }

  /** Resolver options that ask only this server, once, without search domains or a hosts file. */
  public AddressResolverOptions resolverOptions() {
    return new AddressResolverOptions()
        .setServers(List.of("127.0.0.1:" + socket.localAddress().port()))
        .setSearchDomains(List.of())
        .setHostsValue(Buffer.buffer("# none\n"))
        .setQueryTimeout(2_000)
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
    boolean typeA = query.getUnsignedShort(end - 4) == TYPE_A;
    Buffer reply = Buffer.buffer()
        .appendBuffer(query.slice(0, 2))
        .appendUnsignedShort(FLAGS_OK)
        .appendUnsignedShort(1)
        .appendUnsignedShort(typeA ? 1 : 0)
        .appendUnsignedShort(0)
        .appendUnsignedShort(0)
        .appendBuffer(query.slice(12, end));
    if (typeA) {
      reply.appendUnsignedShort(0xC00C) // the name: a pointer to the question's
          .appendUnsignedShort(TYPE_A)
          .appendUnsignedShort(1) // class IN
          .appendInt(60) // TTL
          .appendUnsignedShort(4)
          .appendBytes(new byte[] {127, 0, 0, 1});
    }
    socket.send(reply, port, host);
  }
}
