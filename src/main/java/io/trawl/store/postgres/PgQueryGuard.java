package io.trawl.store.postgres;

import io.trawl.store.StoreException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

/**
 * What {@code query} refuses on PostgreSQL before the server sees the SQL. The read-only
 * transaction the query runs in already refuses every write to the database (INSERT, UPDATE,
 * DELETE, DDL, {@code nextval}, {@code SELECT INTO}, large-object writes...); this guard refuses
 * what such a transaction would let through:
 * <ul>
 *   <li>more than one statement: counted with the driver's own parser, the one that would split
 *       the text (and again by this class's lexer, which knows PostgreSQL's quoting: {@code E'..'},
 *       dollar quotes, nested comments), so {@code select 1; commit; delete ...} never runs;</li>
 *   <li>any statement but a query: it must start with {@code SELECT}, {@code WITH}, {@code VALUES},
 *       {@code TABLE}, {@code EXPLAIN} or {@code SHOW}, which refuses {@code COPY ... TO} (a file or a
 *       program), {@code SET}, {@code SET TRANSACTION READ WRITE}, {@code DO}, {@code CALL},
 *       {@code COMMIT}, {@code LISTEN}...;</li>
 *   <li>functions that act outside the transaction: signalling backends, server files, settings,
 *       replication, other connections ({@code dblink}), and the functions that run SQL given as
 *       text (which would hide the others); and the large-object functions, some of which write
 *       even in a read-only transaction: named anywhere in the text, even quoted.</li>
 * </ul>
 * A refusal can be a false alarm (a column alias named {@code set_config}); it never runs anything.
 * Any thread.
 */
final class PgQueryGuard {
  private static final Set<String> FIRST_WORDS = Set.of("select", "with", "values", "table", "explain", "show");
  private static final Set<String> DENIED = Set.of(
      "pg_terminate_backend", "pg_cancel_backend", "pg_signal_backend", "pg_reload_conf", "pg_rotate_logfile",
      "pg_rotate_logfile_old", "pg_log_backend_memory_contexts", "pg_promote", "pg_switch_wal", "pg_switch_xlog",
      "pg_start_backup", "pg_stop_backup", "pg_backup_start", "pg_backup_stop", "pg_import_system_collations",
      "pg_notify", "set_config", "lowrite", "loread", "pg_stat_file",
      "query_to_xml", "query_to_xml_and_xmlschema", "query_to_xmlschema", "cursor_to_xml", "cursor_to_xmlschema",
      "ts_stat", "ts_rewrite");
  private static final List<String> DENIED_PREFIXES = List.of(
      "lo_", "dblink", "pg_background", "pg_read_", "pg_ls_", "pg_file_", "pg_stat_reset", "pg_logical_", "pg_replication_",
      "pg_create_", "pg_drop_", "pg_copy_", "pg_wal_", "pg_xlog_");

  private PgQueryGuard() {}

  /**
   * @param standardConformingStrings the server's setting: whether a backslash in {@code '...'} is a plain character
   * @throws StoreException {@link StoreException.Kind#REFUSED}, saying what was refused
   */
  static void check(String sql, boolean standardConformingStrings) {
    List<String> words = new PgLexer(sql, standardConformingStrings).words();
    if (statements(sql, standardConformingStrings) > 1 || words.contains(";")) {
      throw refused("one statement at a time (the text holds more than one; nothing was run)");
    }
    String first = words.stream().filter(w -> !w.equals("(")).findFirst().orElse("");
    if (!FIRST_WORDS.contains(first)) {
      throw refused("only a query runs here (SELECT, WITH, VALUES, TABLE, EXPLAIN or SHOW), not "
          + (first.isEmpty() ? "an empty statement" : first.toUpperCase(Locale.ROOT)) + "; nothing was run");
    }
    for (String word : words) {
      if (denied(word)) {
        throw refused("the function " + word + " acts outside the read-only transaction and is refused; nothing was run");
      }
    }
  }

  static boolean denied(String name) {
    return DENIED.contains(name) || DENIED_PREFIXES.stream().anyMatch(name::startsWith);
  }

  /** How many statements the driver would send: it splits the text itself, at semicolons outside quotes. */
  private static int statements(String sql, boolean standardConformingStrings) {
    try {
      List<NativeQuery> queries = Parser.parseJdbcSql(sql, standardConformingStrings, false, true, false, false);
      return (int) queries.stream().filter(q -> !q.nativeSql.isBlank()).count();
    } catch (SQLException e) {
      throw new StoreException(StoreException.Kind.BAD_SQL, PgConnector.firstLine(e.getMessage()), e);
    }
  }

  private static StoreException refused(String why) {
    return new StoreException(StoreException.Kind.REFUSED, why);
  }

  /**
   * PostgreSQL's lexical rules, as far as the guard needs them: the words of the text (names and
   * keywords, unquoted ones folded to lower case, quoted ones as written) and each top-level
   * {@code ;} and {@code (} that follows a {@code ;} or starts the text; strings, comments and
   * dollar-quoted bodies are skipped.
   */
  static final class PgLexer {
    private final String sql;
    private final boolean standardConformingStrings;
    private final List<String> words = new ArrayList<>();
    private int i;
    private boolean semicolon;

    PgLexer(String sql, boolean standardConformingStrings) {
      this.sql = sql;
      this.standardConformingStrings = standardConformingStrings;
    }

    List<String> words() {
      int n = sql.length();
      while (i < n) {
        char c = sql.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '-' && peek(1) == '-') {
          int end = sql.indexOf('\n', i);
          i = end < 0 ? n : end + 1;
        } else if (c == '/' && peek(1) == '*') {
          blockComment();
        } else if (c == '\'') {
          string(!standardConformingStrings);
        } else if (c == '"') {
          add(quotedName());
        } else if (c == '$' && dollarQuote()) {
          continue;
        } else if ((c == 'e' || c == 'E') && peek(1) == '\'') {
          i++;
          string(true);
        } else if ((c == 'u' || c == 'U') && peek(1) == '&' && (peek(2) == '\'' || peek(2) == '"')) {
          i += 2;
          if (sql.charAt(i) == '\'') {
            string(false);
          } else {
            add(unicodeName(quotedName()));
          }
        } else if (isNameStart(c)) {
          int start = i;
          while (i < n && isNamePart(sql.charAt(i))) {
            i++;
          }
          add(sql.substring(start, i).toLowerCase(Locale.ROOT));
        } else if (c == ';') {
          semicolon = true;
          i++;
        } else {
          if (c == '(' && words.isEmpty()) {
            words.add("(");
          }
          i++;
        }
      }
      return words;
    }

    /** A word after a top-level semicolon means a second statement: recorded as ";". */
    private void add(String word) {
      if (semicolon) {
        words.add(";");
        semicolon = false;
      }
      words.add(word);
    }

    private char peek(int ahead) {
      return i + ahead < sql.length() ? sql.charAt(i + ahead) : '\0';
    }

    /** PostgreSQL's block comments nest. */
    private void blockComment() {
      int depth = 0;
      while (i < sql.length()) {
        if (sql.startsWith("/*", i)) {
          depth++;
          i += 2;
        } else if (sql.startsWith("*/", i)) {
          depth--;
          i += 2;
          if (depth == 0) {
            return;
          }
        } else {
          i++;
        }
      }
    }

    /** A '...' string from its opening quote; {@code ''} is a quote, and so is {@code \'} when backslashes escape. */
    private void string(boolean backslashEscapes) {
      i++;
      while (i < sql.length()) {
        char c = sql.charAt(i);
        if (backslashEscapes && c == '\\') {
          i += 2;
        } else if (c == '\'') {
          if (peek(1) == '\'') {
            i += 2;
          } else {
            i++;
            return;
          }
        } else {
          i++;
        }
      }
    }

    /** A "..." name from its opening quote, as written; {@code ""} is a quote. */
    private String quotedName() {
      StringBuilder name = new StringBuilder();
      i++;
      while (i < sql.length()) {
        char c = sql.charAt(i);
        if (c == '"') {
          if (peek(1) == '"') {
            name.append('"');
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          name.append(c);
          i++;
        }
      }
      return name.toString();
    }

    /** U&"..." with its {@code \XXXX} and {@code \+XXXXXX} escapes decoded; a UESCAPE clause is refused. */
    private String unicodeName(String raw) {
      int save = i;
      while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
        i++;
      }
      if (sql.regionMatches(true, i, "uescape", 0, 7)) {
        throw refused("U&\"...\" names with UESCAPE are not accepted here; write the name plainly");
      }
      i = save;
      StringBuilder name = new StringBuilder();
      for (int k = 0; k < raw.length(); k++) {
        char c = raw.charAt(k);
        if (c == '\\' && k + 1 < raw.length() && raw.charAt(k + 1) == '\\') {
          name.append('\\');
          k++;
        } else if (c == '\\' && k + 1 < raw.length() && raw.charAt(k + 1) == '+' && k + 8 <= raw.length()) {
          name.appendCodePoint(hex(raw.substring(k + 2, k + 8)));
          k += 7;
        } else if (c == '\\' && k + 5 <= raw.length()) {
          name.appendCodePoint(hex(raw.substring(k + 1, k + 5)));
          k += 4;
        } else {
          name.append(c);
        }
      }
      return name.toString();
    }

    private static int hex(String digits) {
      try {
        return Integer.parseInt(digits, 16);
      } catch (NumberFormatException e) {
        throw refused("a U&\"...\" name with a bad escape");
      }
    }

    /** A $tag$...$tag$ body, skipped whole; false when the $ starts no quote ($1 is a parameter). */
    private boolean dollarQuote() {
      int end = i + 1;
      while (end < sql.length() && sql.charAt(end) != '$') {
        char c = sql.charAt(end);
        boolean ok = end == i + 1 ? isNameStart(c) : isNamePart(c) && c != '$';
        if (!ok) {
          return false;
        }
        end++;
      }
      if (end >= sql.length()) {
        return false;
      }
      String tag = sql.substring(i, end + 1);
      int close = sql.indexOf(tag, end + 1);
      i = close < 0 ? sql.length() : close + tag.length();
      return true;
    }

    private static boolean isNameStart(char c) {
      return Character.isLetter(c) || c == '_' || c >= 0x80;
    }

    private static boolean isNamePart(char c) {
      return isNameStart(c) || Character.isDigit(c) || c == '$';
    }
  }
}
