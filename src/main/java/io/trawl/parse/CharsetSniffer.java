package io.trawl.parse;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import org.mozilla.universalchardet.UniversalDetector;

/**
 * Decides how a page's bytes are to be decoded, the way browsers do: a byte-order mark first, then
 * the Content-Type header's charset, then a {@code <meta>} declaration in the first 4 KB, then
 * detection (valid UTF-8, else juniversalchardet, else windows-1252). Labels that the WHATWG
 * encoding standard maps to windows-1252 (iso-8859-1, latin1, ascii) are read as windows-1252,
 * and its Shift_JIS labels (shift_jis, sjis, ms932…) as windows-31j.
 * Stateless, thread-safe.
 */
public final class CharsetSniffer {
  private static final int PRESCAN_BYTES = 4096;
  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
  private static final Charset WINDOWS_31J = Charset.forName("windows-31j");

  private CharsetSniffer() {}

  public static Charset detect(byte[] body, String contentTypeHeader) {
    Charset bom = fromBom(body);
    if (bom != null) {
      return bom;
    }
    Charset header = fromLabel(charsetParameter(contentTypeHeader));
    if (header != null) {
      return header;
    }
    Charset meta = fromMeta(body);
    if (meta != null) {
      return meta;
    }
    return guess(body);
  }

  /** The length of a byte-order mark at the start of {@code body}, or 0. */
  static int bomLength(byte[] body) {
    if (body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF) {
      return 3;
    }
    if (body.length >= 2 && (((body[0] & 0xff) == 0xFE && (body[1] & 0xff) == 0xFF)
        || ((body[0] & 0xff) == 0xFF && (body[1] & 0xff) == 0xFE))) {
      return 2;
    }
    return 0;
  }

  private static Charset fromBom(byte[] body) {
    if (body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF) {
      return StandardCharsets.UTF_8;
    }
    if (body.length >= 2 && (body[0] & 0xff) == 0xFE && (body[1] & 0xff) == 0xFF) {
      return StandardCharsets.UTF_16BE;
    }
    if (body.length >= 2 && (body[0] & 0xff) == 0xFF && (body[1] & 0xff) == 0xFE) {
      return StandardCharsets.UTF_16LE;
    }
    return null;
  }

  /** The value of a {@code charset=} parameter in a Content-Type value, or null. */
  static String charsetParameter(String contentType) {
    if (contentType == null) {
      return null;
    }
    String lower = contentType.toLowerCase(Locale.ROOT);
    int at = lower.indexOf("charset=");
    if (at < 0) {
      return null;
    }
    int start = at + 8;
    int end = start;
    while (end < lower.length() && lower.charAt(end) != ';' && lower.charAt(end) != ',' && !Character.isWhitespace(lower.charAt(end))) {
      end++;
    }
    String value = contentType.substring(start, end).trim();
    if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))) {
      value = value.substring(1, value.length() - (value.endsWith("\"") || value.endsWith("'") ? 1 : 0));
    }
    return value.isEmpty() ? null : value;
  }

  static Charset fromLabel(String label) {
    if (label == null) {
      return null;
    }
    String l = label.trim().toLowerCase(Locale.ROOT);
    switch (l) {
      case "iso-8859-1", "iso8859-1", "latin1", "l1", "ascii", "us-ascii", "cp1252", "windows-1252", "x-cp1252" -> {
        return WINDOWS_1252;
      }
      // The WHATWG Shift_JIS decoder is Microsoft's: Java's Shift_JIS lacks the NEC and IBM rows
      // (circled digits, roman numerals) that Japanese pages use, and would replace them.
      case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "ms932", "windows-31j" -> {
        return WINDOWS_31J;
      }
      default -> {
        try {
          return Charset.forName(l);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
          return null;
        }
      }
    }
  }

  /** A {@code <meta charset>} or {@code <meta http-equiv content="…charset=…">} in the first bytes. */
  private static Charset fromMeta(byte[] body) {
    int n = Math.min(body.length, PRESCAN_BYTES);
    String head = new String(body, 0, n, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    int from = 0;
    while (true) {
      int meta = head.indexOf("<meta", from);
      if (meta < 0) {
        return null;
      }
      int end = head.indexOf('>', meta);
      if (end < 0) {
        return null;
      }
      String tag = head.substring(meta, end);
      // Only "charset" followed by '=' declares: the word in a description's content does not.
      for (int cs = tag.indexOf("charset"); cs >= 0; cs = tag.indexOf("charset", cs + 7)) {
        int i = cs + 7;
        while (i < tag.length() && tag.charAt(i) == ' ') {
          i++;
        }
        if (i >= tag.length() || tag.charAt(i) != '=') {
          continue;
        }
        while (i < tag.length() && (tag.charAt(i) == ' ' || tag.charAt(i) == '=' || tag.charAt(i) == '"' || tag.charAt(i) == '\'')) {
          i++;
        }
        int j = i;
        while (j < tag.length() && "\"' ;/>".indexOf(tag.charAt(j)) < 0) {
          j++;
        }
        Charset charset = fromLabel(tag.substring(i, j));
        if (charset != null) {
          // A page declaring UTF-16 in ASCII bytes is not UTF-16 (the HTML spec says read UTF-8).
          return charset.name().startsWith("UTF-16") ? StandardCharsets.UTF_8 : charset;
        }
      }
      from = end;
    }
  }

  private static Charset guess(byte[] body) {
    if (isValidUtf8(body)) {
      return StandardCharsets.UTF_8;
    }
    UniversalDetector detector = new UniversalDetector();
    detector.handleData(body, 0, Math.min(body.length, 64 * 1024));
    detector.dataEnd();
    Charset detected = fromLabel(detector.getDetectedCharset());
    return detected != null ? detected : WINDOWS_1252;
  }

  private static boolean isValidUtf8(byte[] body) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      decoder.decode(ByteBuffer.wrap(body));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
