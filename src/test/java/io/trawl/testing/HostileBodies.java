package io.trawl.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;

/**
 * MockWebServer bodies far larger than a test's heap, generated while they are written: a plain
 * body of any length (announced or chunked) and a gzip bomb. Each counts what it managed to write
 * before the client went away, so a test can tell a body that was cut from one that was read whole.
 */
public final class HostileBodies {
  private static final int BLOCK = 1 << 20;

  private HostileBodies() {}

  /** A body that writes {@code total} bytes of HTML-ish filler, or less if the client hangs up. */
  public static Generated generated(long total) {
    return new Generated(total, false);
  }

  /** The same body sent with chunked framing and no Content-Length. */
  public static Generated chunked(long total) {
    return new Generated(total, true);
  }

  /** A gzip stream of {@code inflatedMegabytes} MB of zeros, about 1 KB per inflated MB. */
  public static GzipBomb gzipBomb(int inflatedMegabytes) {
    return new GzipBomb(inflatedMegabytes);
  }

  /** What a body wrote, shared with the server thread that writes it. */
  public abstract static class Counted implements MockResponseBody {
    private final AtomicLong written = new AtomicLong();
    private final AtomicBoolean over = new AtomicBoolean();

    /** Bytes handed to the socket so far (framing excluded). */
    public long written() {
      return written.get();
    }

    /** Whether the server has stopped writing, having sent everything or hit a closed socket. */
    public boolean over() {
      return over.get();
    }

    @Override
    public final void writeTo(BufferedSink sink) throws IOException {
      try {
        write(sink);
        sink.flush();
      } finally {
        over.set(true);
      }
    }

    protected void count(long n) {
      written.addAndGet(n);
    }

    protected abstract void write(BufferedSink sink) throws IOException;
  }

  /** See {@link #generated} and {@link #chunked}. */
  public static final class Generated extends Counted {
    private static final byte[] FILLER = filler();
    private final long total;
    private final boolean chunked;

    private Generated(long total, boolean chunked) {
      this.total = total;
      this.chunked = chunked;
    }

    /** A 200 response with this body and the framing it was made for. */
    public MockResponse response(String contentType) {
      MockResponse.Builder builder = new MockResponse.Builder().body(this).setHeader("Content-Type", contentType);
      if (chunked) {
        builder.removeHeader("Content-Length").setHeader("Transfer-Encoding", "chunked");
      }
      return builder.build();
    }

    @Override
    public long getContentLength() {
      return chunked ? -1 : total;
    }

    @Override
    protected void write(BufferedSink sink) throws IOException {
      for (long sent = 0; sent < total; ) {
        int n = (int) Math.min(FILLER.length, total - sent);
        if (chunked) {
          sink.writeUtf8(Integer.toHexString(n)).writeUtf8("\r\n");
        }
        sink.write(FILLER, 0, n);
        if (chunked) {
          sink.writeUtf8("\r\n");
        }
        sent += n;
        count(n);
      }
      if (chunked) {
        sink.writeUtf8("0\r\n\r\n");
      }
    }

    private static byte[] filler() {
      byte[] unit = "<p>trawl filler</p>\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      byte[] bytes = new byte[64 * 1024];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = unit[i % unit.length];
      }
      return bytes;
    }
  }

  /**
   * A valid gzip member inflating to {@code megabytes} MB of zeros. Deflating a gigabyte takes
   * seconds, so it is deflated once per megabyte: after the first block, every further megabyte of
   * zeros, flushed with SYNC_FLUSH, compresses to the same bytes, which are written again and
   * again; the CRC trailer is computed only if a client reads that far.
   */
  public static final class GzipBomb extends Counted {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private final int megabytes;
    private final byte[] first;
    private final byte[] repeated;
    private final byte[] last;

    private GzipBomb(int megabytes) {
      if (megabytes < 2) {
        throw new IllegalArgumentException("at least 2 MB");
      }
      this.megabytes = megabytes;
      Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
      this.first = deflate(deflater, new byte[BLOCK], Deflater.SYNC_FLUSH);
      this.repeated = deflate(deflater, new byte[BLOCK], Deflater.SYNC_FLUSH);
      byte[] again = deflate(deflater, new byte[BLOCK], Deflater.SYNC_FLUSH);
      if (!Arrays.equals(repeated, again)) {
        throw new IllegalStateException("a megabyte of zeros did not deflate to the same bytes twice");
      }
      deflater.finish();
      this.last = deflate(deflater, new byte[0], Deflater.FULL_FLUSH);
      deflater.end();
    }

    /** The inflated size. */
    public long inflatedBytes() {
      return (long) megabytes * BLOCK;
    }

    /** A 200 response with this body, {@code Content-Encoding: gzip} and its compressed length. */
    public MockResponse response(String contentType) {
      return new MockResponse.Builder().body(this).setHeader("Content-Type", contentType)
          .setHeader("Content-Encoding", "gzip").build();
    }

    @Override
    public long getContentLength() {
      return HEADER.length + first.length + (long) repeated.length * (megabytes - 1) + last.length + 8;
    }

    @Override
    protected void write(BufferedSink sink) throws IOException {
      sink.write(HEADER);
      sink.write(first);
      count(HEADER.length + first.length);
      for (int i = 1; i < megabytes; i++) {
        sink.write(repeated);
        count(repeated.length);
      }
      sink.write(last);
      CRC32 crc = new CRC32();
      byte[] zeros = new byte[BLOCK];
      for (int i = 0; i < megabytes; i++) {
        crc.update(zeros);
      }
      sink.writeIntLe((int) crc.getValue());
      sink.writeIntLe((int) inflatedBytes());
      count(last.length + 8);
    }

    private static byte[] deflate(Deflater deflater, byte[] input, int flush) {
      if (input.length > 0) {
        deflater.setInput(input);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[64 * 1024];
      while (true) {
        int n = deflater.deflate(buffer, 0, buffer.length, flush);
        out.write(buffer, 0, n);
        if (n < buffer.length && (deflater.needsInput() || deflater.finished())) {
          if (input.length > 0 || deflater.finished()) {
            return out.toByteArray();
          }
        }
      }
    }
  }
}
