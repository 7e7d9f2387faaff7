package io.github.synapsebgu.exporter.source.database;

import java.time.Duration;

/**
 * How long a database read may take. The lock timeout is shorter than the statement timeout, so a
 * table held by Synapse (an {@code ALTER TABLE}, a {@code VACUUM FULL}) fails a poll as a timeout
 * within seconds instead of queueing behind the lock.
 *
 * @param connect connecting and logging in
 * @param statement one statement on the server ({@code statement_timeout})
 * @param lock waiting for a lock ({@code lock_timeout}; SQLite's busy timeout)
 */
public record DatabaseTimeouts(Duration connect, Duration statement, Duration lock) {
  public static final DatabaseTimeouts DEFAULTS =
      new DatabaseTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2));

  public DatabaseTimeouts {
    for (Duration d : new Duration[] {connect, statement, lock}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("database timeouts must be positive");
      }
    }
  }

  /**
   * The client's socket timeout: a backstop for a server that stops answering altogether, longer
   * than any statement may run on it.
   */
  Duration socket() {
    return statement.plusSeconds(5);
  }
}
