package io.github.synapsebgu.exporter.sources.database;

/**
 * A read of Synapse's database that gave no usable answer. The message is for operators and never
 * contains a password: it is built from what we know (the database name, the SQL state, the kind of
 * failure), and a driver message is copied only after the password is cut out of it.
 */
public final class DatabaseSourceException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a read failed; {@link #label()} is meant for a {@code reason} label. */
  public enum Reason {
    /** The server or file cannot be reached or opened (refused, down, restarting, no such file). */
    CONNECT("connect"),
    /** A statement, lock or busy timeout: something holds the table. */
    TIMEOUT("timeout"),
    /** The server refused the credentials. */
    AUTH("auth"),
    /** The role may log in but not read what we need (a missing GRANT). */
    PERMISSION("permission"),
    /** Any other SQL failure, e.g. no background_updates table: not Synapse's database. */
    QUERY("query"),
    /** The tables hold what Synapse never writes (too many rows, a value of the wrong kind). */
    INVALID_DATA("invalid_data");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final Reason reason;

  DatabaseSourceException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
