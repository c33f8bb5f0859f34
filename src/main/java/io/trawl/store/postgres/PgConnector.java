package io.trawl.store.postgres;

import io.trawl.store.StoreException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Opens connections to one PostgreSQL database with the driver (pgjdbc), and turns the ways that
 * fails into one-line {@link StoreException}s naming the server and what failed: unreachable,
 * credentials refused, no such database, no rights. The password is in the connection properties
 * only; no message here can hold it. Blocking: the writer thread or the command line's main thread.
 */
final class PgConnector {
  private static final Driver DRIVER = new Driver();

  private final PgUrl url;
  private final String schema;

  PgConnector(PgUrl url, String schema) {
    this.url = url;
    this.schema = schema;
  }

  PgUrl url() {
    return url;
  }

  String schema() {
    return schema;
  }

  /** The database as it may be printed, with the schema when it is not {@code public}. */
  String display() {
    return url.display() + (schema.equals("public") ? "" : " (schema " + schema + ")");
  }

  /**
   * A connection with {@code search_path} set to the schema.
   *
   * @param readOnly every transaction on it read-only ({@code default_transaction_read_only}),
   *     even one a statement would start after a {@code COMMIT}
   */
  Connection open(boolean readOnly) {
    Properties props = url.properties(schema);
    if (readOnly) {
      String options = props.getProperty("options", "");
      props.setProperty("options", (options + " -c default_transaction_read_only=on").trim());
      props.setProperty("readOnly", "true");
      props.setProperty("readOnlyMode", "always");
    }
    try {
      Connection conn = DRIVER.connect(url.jdbcUrl(), props);
      if (conn == null) {
        throw new StoreException(StoreException.Kind.BAD_LOCATION, display() + ": the driver does not accept this URL");
      }
      return conn;
    } catch (SQLException e) {
      throw connectFailed(e);
    }
  }

  /** A failure of a statement the store itself ran, as a one-line StoreException. */
  StoreException failed(String what, SQLException e) {
    String state = String.valueOf(e.getSQLState());
    if (state.equals("42501")) {
      return new StoreException(StoreException.Kind.UNAVAILABLE, display() + ": user " + url.user() + " has no right to "
          + what + " (" + firstLine(e.getMessage()) + ")", e);
    }
    if (state.startsWith("08") || state.startsWith("57P")) {
      return new StoreException(StoreException.Kind.UNAVAILABLE, display() + ": lost the connection to "
          + url.hostAndPort() + " while trying to " + what + " (" + firstLine(e.getMessage()) + ")", e);
    }
    return new StoreException(StoreException.Kind.FAILED, display() + ": cannot " + what + ": " + firstLine(e.getMessage()), e);
  }

  private StoreException connectFailed(SQLException e) {
    String state = String.valueOf(e.getSQLState());
    String reason = firstLine(e.getMessage());
    String message;
    if (state.equals("28P01") || state.equals("28000")) {
      message = "the server at " + url.hostAndPort() + " refused the credentials of user " + url.user() + " (" + reason + ")";
    } else if (!url.hasPassword() && reason.contains("no password was provided")) {
      message = "the server at " + url.hostAndPort() + " asks user " + url.user()
          + " for a password and none was given (put it in the URL, PGPASSWORD or ~/.pgpass)";
    } else if (state.equals("3D000")) {
      message = "the server at " + url.hostAndPort() + " has no database " + url.database() + " (" + reason + ")";
    } else if (hasCause(e, UnknownHostException.class)) {
      message = "cannot reach the server: unknown host " + url.host();
    } else if (hasCause(e, ConnectException.class) || hasCause(e, NoRouteToHostException.class)) {
      message = "cannot reach the server at " + url.hostAndPort() + " (connection refused: is PostgreSQL running there?)";
    } else if (hasCause(e, SocketTimeoutException.class)) {
      message = "cannot reach the server at " + url.hostAndPort() + " (no answer within the connect timeout)";
    } else if (state.startsWith("08")) {
      message = "cannot connect to the server at " + url.hostAndPort() + " (" + reason + ")";
    } else {
      message = "cannot connect to the server at " + url.hostAndPort() + " as user " + url.user() + " (" + reason + ")";
    }
    return new StoreException(StoreException.Kind.UNAVAILABLE, display() + ": " + message, e);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** The first line of a driver or server message (the server adds position and hint lines). */
  static String firstLine(String message) {
    if (message == null) {
      return "no detail";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).trim();
  }
}
