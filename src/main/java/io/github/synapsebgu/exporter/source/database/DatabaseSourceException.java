package io.github.synapsebgu.exporter.source.database;

import io.github.synapsebgu.exporter.source.SourceException;

/**
 * A read of Synapse's database that gave no usable answer. The message is for operators and never
 * contains a password: it is built from what we know (the database name, the SQL state, the kind of
 * failure), and a driver message is copied only after the password is cut out of it.
 */
public final class DatabaseSourceException extends SourceException {
  private static final long serialVersionUID = 1L;

  /** The source name, as in {@code synapse_background_updates_source_up{source}}. */
  public static final String SOURCE = "database";

  /** Why a read failed; {@link #label()} is the {@code reason} label. */
  public enum Reason implements io.github.synapsebgu.exporter.source.Reason {
    CONNECT(
        "connect",
        "cannot reach the database (refused, down, restarting, unknown database, no such file)"),
    TIMEOUT(
        "timeout",
        "a statement, lock or busy timeout: something holds Synapse's table longer than allowed"),
    AUTH("auth", "the database refused the login: check the user and the password file or .pgpass"),
    PERMISSION(
        "permission",
        "the role may not read what is needed: grant it SELECT on background_updates and"
            + " schema_version"),
    QUERY("query", "a query failed: is this Synapse's database?"),
    INVALID_DATA("invalid_data", "Synapse's tables hold what Synapse never writes");

    private final String label;
    private final String explanation;

    Reason(String label, String explanation) {
      this.label = label;
      this.explanation = explanation;
    }

    @Override
    public String label() {
      return label;
    }

    @Override
    public String explanation() {
      return explanation;
    }
  }

  private final Reason reason;

  DatabaseSourceException(Reason reason, String message) {
    super(SOURCE, reason, message);
    this.reason = reason;
  }

  @Override
  public Reason reason() {
    return reason;
  }
}
