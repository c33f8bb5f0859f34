package io.trawl.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code pages.content_hash} of a body: its SHA-256 as lowercase hex, the same for every
 * stage, so that a fetch can tell whether a page's content changed. CPU work in proportion to the
 * body: a worker thread, never an event loop for anything but a few bytes. Stateless.
 */
public final class ContentHash {
  private ContentHash() {}

  public static String of(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
