package io.github.synapsebgu.exporter.source.database;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where one Synapse database is, parsed from {@code --database.url} ({@code [NAME=]URL}). The two
 * kinds are the two databases Synapse runs on. {@link #describe()} is safe to log: no URL form
 * accepted here can carry a password.
 */
public sealed interface DatabaseUrl
    permits DatabaseUrl.Postgres, DatabaseUrl.Sqlite, DatabaseUrl.SimulatedIndexBuilds {
  /** The name Synapse gives this database in its {@code databases:} config and status API. */
  String name();

  /** For logs and error messages. */
  String describe();

  /**
   * {@code postgresql://user@host:5432/synapse?sslmode=verify-full}.
   *
   * @param parameters the driver connection parameters given in the query, from a fixed list
   */
  record Postgres(
      String name,
      String host,
      int port,
      String database,
      String user,
      Map<String, String> parameters)
      implements DatabaseUrl {
    public Postgres {
      parameters = Map.copyOf(parameters);
    }

    @Override
    public String describe() {
      return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }
  }

  /**
   * For {@code --demo} only, never parsed from a flag: a SQLite database read for real, whose index
   * builds (which only PostgreSQL's {@code pg_stat_progress_create_index} reports) come from {@code
   * builds} instead. The narrowest seam that lets the demo show an index build's progress: the
   * queue, the schema version and every collector still go through the real reader.
   */
  record SimulatedIndexBuilds(Sqlite database, Supplier<List<IndexBuild>> builds)
      implements DatabaseUrl {
    @Override
    public String name() {
      return database.name();
    }

    @Override
    public String describe() {
      return database.describe() + " (index builds simulated)";
    }
  }

  /** {@code sqlite:/var/lib/matrix-synapse/homeserver.db}. */
  record Sqlite(String name, Path file) implements DatabaseUrl {
    @Override
    public String describe() {
      return "sqlite:" + file;
    }
  }
}
