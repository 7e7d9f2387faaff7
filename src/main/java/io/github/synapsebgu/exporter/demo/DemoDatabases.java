package io.github.synapsebgu.exporter.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The demo homeserver's databases: one real SQLite file per database ({@code master}, {@code
 * state}) in a temporary directory, with Synapse's own {@code background_updates} and {@code
 * schema_version} tables, in WAL mode as Synapse runs SQLite. Like Synapse, the demo keeps a
 * connection open to each and rewrites the table as updates start, progress and end (twice a
 * second), so the exporter reads them with its real, read-only SQLite reader.
 */
final class DemoDatabases implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DemoDatabases.class);
  private static final List<String> NAMES = List.of("master", "state");

  private final Path dir;
  private final Map<String, Path> files;
  private final Map<String, Connection> writers;
  private final DoubleSupplier seconds;
  private final ScheduledExecutorService writer;

  private DemoDatabases(
      Path dir, Map<String, Path> files, Map<String, Connection> writers, DoubleSupplier seconds) {
    this.dir = dir;
    this.files = files;
    this.writers = writers;
    this.seconds = seconds;
    this.writer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "demo-synapse-database");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Creates the files as of {@code seconds} into the demo's cycle and keeps them up to date.
   *
   * @throws IOException when the temporary directory or a file cannot be made
   */
  static DemoDatabases start(DoubleSupplier seconds) throws IOException {
    Path dir = Files.createTempDirectory("synapse-bgu-demo-");
    Map<String, Path> files = new LinkedHashMap<>();
    Map<String, Connection> writers = new LinkedHashMap<>();
    try {
      for (String name : NAMES) {
        Path file = dir.resolve(name + ".db");
        files.put(name, file);
        writers.put(name, create(file));
      }
    } catch (SQLException e) {
      closeAll(writers);
      delete(dir);
      throw new IOException("cannot create the demo's SQLite databases: " + e.getMessage(), e);
    }
    DemoDatabases databases = new DemoDatabases(dir, files, writers, seconds);
    databases.sync();
    databases.writer.scheduleWithFixedDelay(databases::sync, 500, 500, TimeUnit.MILLISECONDS);
    return databases;
  }

  /** Database name to file, in Synapse's order (master first). */
  Map<String, Path> files() {
    return files;
  }

  /** The tables as Synapse creates them (docs: the background_updates table). */
  private static Connection create(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setBusyTimeout(2_000);
    Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + file, config.toProperties());
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE background_updates (update_name text NOT NULL, progress_json text NOT"
              + " NULL, depends_on text, ordering INT NOT NULL DEFAULT 0,"
              + " CONSTRAINT background_updates_uniqueness UNIQUE (update_name))");
      s.execute(
          "CREATE TABLE schema_version (Lock CHAR(1) NOT NULL DEFAULT 'X' UNIQUE,"
              + " version INTEGER NOT NULL, upgraded BOOL NOT NULL, CHECK (Lock='X'))");
      s.execute(
          "INSERT INTO schema_version (version, upgraded) VALUES ("
              + DemoScript.SCHEMA_VERSION
              + ", 1)");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** Writes each table as the script has it now, in one transaction per database. */
  private void sync() {
    double t = seconds.getAsDouble();
    for (Map.Entry<String, Connection> e : writers.entrySet()) {
      Connection c = e.getValue();
      try {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement();
            PreparedStatement insert =
                c.prepareStatement(
                    "INSERT INTO background_updates (update_name, progress_json, depends_on,"
                        + " ordering) VALUES (?, ?, ?, ?)")) {
          s.execute("DELETE FROM background_updates");
          for (DemoScript.Row row : DemoScript.rowsAt(e.getKey(), t)) {
            insert.setString(1, row.name());
            insert.setString(2, row.progressJson());
            insert.setString(3, row.dependsOn());
            insert.setLong(4, row.ordering());
            insert.addBatch();
          }
          insert.executeBatch();
        }
        c.commit();
      } catch (SQLException ex) {
        // The next sync tries again; the exporter shows whatever the file holds meanwhile.
        log.atWarn().addKeyValue("database", e.getKey()).log("Demo: cannot write " + ex);
        try {
          c.rollback();
        } catch (SQLException ignored) {
          // the connection is broken: the next sync fails the same way, and says so
        }
      }
    }
  }

  @Override
  public void close() {
    writer.shutdownNow();
    try {
      writer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeAll(writers);
    delete(dir);
  }

  private static void closeAll(Map<String, Connection> writers) {
    for (Connection c : writers.values()) {
      try {
        c.close();
      } catch (SQLException e) {
        // nothing left to release
      }
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(DemoDatabases::deleteQuietly);
    } catch (IOException | UncheckedIOException e) {
      log.atDebug().setCause(e).log("Demo: cannot delete its temporary directory");
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      log.atDebug().setCause(e).addKeyValue("path", p).log("Demo: cannot delete a file");
    }
  }
}
