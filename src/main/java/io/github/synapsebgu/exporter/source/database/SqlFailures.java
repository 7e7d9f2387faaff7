package io.github.synapsebgu.exporter.source.database;

import io.github.synapsebgu.exporter.secrets.Secret;
import io.github.synapsebgu.exporter.source.database.DatabaseSourceException.Reason;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;

/**
 * Turns a driver's {@link SQLException} into a {@link DatabaseSourceException} with a reason, by
 * SQLSTATE where the driver gives one (PostgreSQL's are standard; SQLite's driver gives none, so
 * its result codes are read instead).
 */
final class SqlFailures {
  private SqlFailures() {}

  static Reason reason(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (e instanceof SQLTimeoutException || hasCause(e, SocketTimeoutException.class)) {
      return Reason.TIMEOUT;
    }
    if (state.equals("08004")) {
      // pgjdbc: the server asked for a password and none was found (no file, no .pgpass entry).
      return Reason.AUTH;
    }
    if (state.startsWith("08")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03")
        || state.equals("3D000")
        || state.equals("53300")) {
      // Connection failures, a server shutting down or starting, an unknown database, too many
      // connections: all say "cannot reach it", none is about our query.
      return Reason.CONNECT;
    }
    if (state.startsWith("28")) {
      return Reason.AUTH;
    }
    if (state.equals("42501")) {
      return Reason.PERMISSION;
    }
    if (state.equals("57014") || state.equals("55P03")) {
      return Reason.TIMEOUT; // statement_timeout, lock_timeout
    }
    return sqliteReason(e).orElse(Reason.QUERY);
  }

  /** True when the connection can no longer be used and must be opened anew. */
  static boolean breaksConnection(Reason reason) {
    return reason == Reason.CONNECT || reason == Reason.AUTH;
  }

  private static java.util.Optional<Reason> sqliteReason(SQLException e) {
    // sqlite-jdbc puts the primary result code in getErrorCode(): SQLITE_BUSY 5, SQLITE_LOCKED 6,
    // SQLITE_PERM 3, SQLITE_READONLY 8, SQLITE_CANTOPEN 14, SQLITE_NOTADB 26, SQLITE_AUTH 23.
    if (e.getClass().getName().startsWith("org.sqlite")) {
      return java.util.Optional.ofNullable(
          switch (e.getErrorCode() & 0xff) {
            case 5, 6 -> Reason.TIMEOUT;
            case 3, 23 -> Reason.PERMISSION;
            case 14, 26 -> Reason.CONNECT;
            default -> null;
          });
    }
    return java.util.Optional.empty();
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The exception to throw: what failed, with the driver's own words (one line, the password cut
   * out in case a driver or server ever echoed it).
   */
  static DatabaseSourceException wrap(String where, String doing, SQLException e, Secret password) {
    Reason reason = reason(e);
    String detail = oneLine(e.getMessage());
    if (password != null) {
      detail = detail.replace(password.reveal(), "<redacted>");
    }
    String state = e.getSQLState() == null ? "" : " [SQLSTATE " + e.getSQLState() + "]";
    return new DatabaseSourceException(
        reason, where + ": " + doing + " failed (" + reason.label() + "): " + detail + state);
  }

  static String oneLine(String message) {
    if (message == null) {
      return "no detail";
    }
    StringBuilder out = new StringBuilder(Math.min(message.length(), 300));
    for (int i = 0; i < message.length() && out.length() < 300; i++) {
      char c = message.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    return out.toString().strip();
  }
}
