package io.trawl.store.sqlite;

/**
 * What the SQLite reader needs to know of a query's SQL before SQLite sees it: whether it holds
 * a statement at all, and whether more than one. SQLite's prepare compiles the first statement and
 * the JDBC driver drops the rest unseen, so {@code select 1; delete from pages} would run as
 * {@code select 1} and exit 0; a text of only comments compiles to no statement at all.
 */
final class SqlText {
  private SqlText() {}

  /**
   * True when something other than blanks, comments and semicolons follows the first top-level
   * semicolon. Semicolons inside quoted strings or names ({@code '…'}, {@code "…"}, {@code `…`},
   * {@code […]}) and comments ({@code -- …}, {@code /* … *}{@code /}) do not count.
   */
  static boolean hasSeveralStatements(String sql) {
    boolean afterSemicolon = false;
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == ';') {
        afterSemicolon = true;
        i++;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (afterSemicolon) {
        return true;
      } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
        i = endOfQuoted(sql, i, c == '[' ? ']' : c);
      } else {
        i++;
      }
    }
    return false;
  }

  /** True when {@code sql} holds nothing but blanks, comments and semicolons. */
  static boolean isBlank(String sql) {
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == ';' || Character.isWhitespace(c)) {
        i++;
      } else {
        return false;
      }
    }
    return true;
  }

  /** The index after the quoted text opened at {@code start}; a doubled closing quote is part of it. */
  private static int endOfQuoted(String sql, int start, char close) {
    int i = start + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == close) {
        if (close != ']' && i + 1 < sql.length() && sql.charAt(i + 1) == close) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }
}
