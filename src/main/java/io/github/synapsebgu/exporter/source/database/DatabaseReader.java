package io.github.synapsebgu.exporter.source.database;

import java.util.Optional;

/**
 * Reads Synapse's background-update state from one database. One caller at a time (the poll loop);
 * {@link #close()} may be called from another thread to stop.
 */
public interface DatabaseReader extends AutoCloseable {
  DatabaseSnapshot read() throws DatabaseSourceException;

  /** Where it reads, safe to log. */
  String describe();

  @Override
  void close();

  /**
   * A reader for {@code url}; opens nothing yet (the first {@link #read()} connects), so a database
   * that is down at startup is a failing source, not a failed start. The JDBC driver's classes are
   * loaded here, only for a configured database.
   */
  static DatabaseReader open(
      DatabaseUrl url, Optional<PasswordFile> passwordFile, DatabaseTimeouts timeouts) {
    if (url instanceof DatabaseUrl.Postgres pg) {
      return new PostgresReader(pg, passwordFile, timeouts);
    }
    if (url instanceof DatabaseUrl.SimulatedIndexBuilds demo) {
      SqliteReader real = new SqliteReader(demo.database(), timeouts);
      return new DatabaseReader() {
        @Override
        public DatabaseSnapshot read() throws DatabaseSourceException {
          DatabaseSnapshot read = real.read();
          return new DatabaseSnapshot(
              read.database(), read.queue(), read.schemaVersion(), demo.builds().get());
        }

        @Override
        public String describe() {
          return demo.describe();
        }

        @Override
        public void close() {
          real.close();
        }
      };
    }
    return new SqliteReader((DatabaseUrl.Sqlite) url, timeouts);
  }
}
