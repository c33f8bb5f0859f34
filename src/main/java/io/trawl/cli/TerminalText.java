package io.trawl.cli;

/**
 * Page text made safe to print on a terminal, for the aligned tables of {@code query} and
 * {@code stats}: a title holding {@code ESC [31m} must not recolour, retitle or clear the user's
 * terminal. Line breaks and tabs become a space (a cell is one line); the other C0 controls and
 * DEL become their Unicode control pictures, one column wide like the character they stand for
 * ({@code ESC} shows as {@code ␛}, BEL as {@code ␇}); C1 controls (which some terminals obey as
 * 8-bit escapes) and the bidirectional controls (which reorder what follows) show as
 * {@code \u009b}-style escapes. Everything else is kept. Any thread.
 */
final class TerminalText {
  private static final char CONTROL_PICTURES = '\u2400';
  private static final char DELETE_PICTURE = '\u2421';

  private TerminalText() {}

  static String visible(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String shown = shown(c);
      if (shown == null) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      out.append(shown);
    }
    return out == null ? text : out.toString();
  }

  /** How {@code c} is shown, or null when it is shown as itself. */
  private static String shown(char c) {
    if (c == '\n' || c == '\r' || c == '\t') {
      return " ";
    }
    if (c < 0x20) {
      return String.valueOf((char) (CONTROL_PICTURES + c));
    }
    if (c == 0x7f) {
      return String.valueOf(DELETE_PICTURE);
    }
    if ((c >= 0x80 && c <= 0x9f) || isBidiControl(c)) {
      return String.format("\\u%04x", (int) c);
    }
    return null;
  }

  private static boolean isBidiControl(char c) {
    return c == '\u061c' || c == '\u200e' || c == '\u200f' || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }
}
