package io.trawl.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A SOCKS5 proxy (RFC 1928, CONNECT only; RFC 1929 user/password when built with credentials) on
 * 127.0.0.1 for tests. Each tunnel it opens is logged as {@code "CONNECT host:port"}, with the user
 * that asked for it. A client without the right credentials is refused at authentication.
 */
public final class Socks5Proxy {
  /** One tunnel asked for: its request line and the user (empty without authentication). */
  public record Entry(String line, String user) {}

  private final Vertx vertx;
  private final String user;
  private final String password;
  private final List<Entry> log = new CopyOnWriteArrayList<>();
  private NetServer server;
  private NetClient client;

  private Socks5Proxy(Vertx vertx, String user, String password) {
    this.vertx = vertx;
    this.user = user;
    this.password = password;
  }

  /** A proxy that wants {@code user} and {@code password}. */
  public static Socks5Proxy withCredentials(Vertx vertx, String user, String password) {
    Socks5Proxy proxy = new Socks5Proxy(vertx, user, password);
    proxy.client = vertx.createNetClient();
    proxy.server = Await.result(vertx.createNetServer().connectHandler(proxy::serve).listen(0, "127.0.0.1"));
    return proxy;
  }

  public int port() {
    return server.actualPort();
  }

  /** The tunnels asked for so far, in order. */
  public List<Entry> log() {
    return List.copyOf(log);
  }

  /** One client connection: greeting, authentication, request, then bytes both ways. */
  private void serve(NetSocket socket) {
    Buffer[] pending = {Buffer.buffer()};
    int[] stage = {0}; // 0 greeting, 1 authentication, 2 request, 3 tunnel
    String[] asUser = {""};
    socket.handler(chunk -> {
      pending[0].appendBuffer(chunk);
      Buffer in = pending[0];
      if (stage[0] == 0 && in.length() >= 2 && in.length() >= 2 + in.getUnsignedByte(1)) {
        int consumed = 2 + in.getUnsignedByte(1);
        socket.write(Buffer.buffer(new byte[] {5, 2})); // user/password
        pending[0] = in.getBuffer(consumed, in.length());
        stage[0] = 1;
        in = pending[0];
      }
      if (stage[0] == 1 && in.length() >= 2) {
        int userLength = in.getUnsignedByte(1);
        if (in.length() < 3 + userLength || in.length() < 3 + userLength + in.getUnsignedByte(2 + userLength)) {
          return;
        }
        int passwordLength = in.getUnsignedByte(2 + userLength);
        String name = in.getString(2, 2 + userLength, StandardCharsets.UTF_8.name());
        String secret = in.getString(3 + userLength, 3 + userLength + passwordLength, StandardCharsets.UTF_8.name());
        boolean ok = name.equals(user) && secret.equals(password);
        socket.write(Buffer.buffer(new byte[] {1, (byte) (ok ? 0 : 1)}));
        if (!ok) {
          socket.close();
          return;
        }
        asUser[0] = name;
        pending[0] = in.getBuffer(3 + userLength + passwordLength, in.length());
        stage[0] = 2;
        in = pending[0];
      }
      if (stage[0] == 2 && in.length() >= 5) {
        int type = in.getUnsignedByte(3);
        int addressLength = type == 1 ? 4 : type == 4 ? 16 : 1 + in.getUnsignedByte(4);
        if (in.length() < 4 + addressLength + 2) {
          return;
        }
        String host = type == 3 ? in.getString(5, 4 + addressLength, StandardCharsets.UTF_8.name())
            : type == 1 ? in.getUnsignedByte(4) + "." + in.getUnsignedByte(5) + "." + in.getUnsignedByte(6) + "."
                + in.getUnsignedByte(7)
            : "ipv6";
        int port = in.getUnsignedShort(4 + addressLength);
        Buffer rest = in.getBuffer(4 + addressLength + 2, in.length());
        stage[0] = 3;
        log.add(new Entry("CONNECT " + host + ":" + port, asUser[0]));
        socket.pause();
        client.connect(port, host).onComplete(ar -> {
          if (ar.failed()) {
            socket.write(Buffer.buffer(new byte[] {5, 5, 0, 1, 0, 0, 0, 0, 0, 0})).onComplete(v -> socket.close());
            return;
          }
          NetSocket target = ar.result();
          socket.write(Buffer.buffer(new byte[] {5, 0, 0, 1, 0, 0, 0, 0, 0, 0}));
          if (rest.length() > 0) {
            target.write(rest);
          }
          socket.handler(target::write);
          target.handler(socket::write);
          socket.closeHandler(v -> target.close());
          target.closeHandler(v -> socket.close());
          socket.resume();
        });
      }
    });
  }
}
