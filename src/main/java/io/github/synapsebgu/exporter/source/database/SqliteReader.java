package io.github.synapsebgu.exporter.source.database;

import io.github.synapsebgu.exporter.source.database.DatabaseSourceException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.OptionalLong;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Reads one Synapse database on SQLite. The file is opened read-only at the C level ({@code
 * SQLITE_OPEN_READONLY}, no {@code SQLITE_OPEN_CREATE}: a missing file is an error, never a new
 * empty database), once per read and closed right after, so no lock or WAL snapshot outlives the
 * read. Synapse runs SQLite in WAL mode, where such a reader never blocks Synapse's writes; in the
 * old rollback-journal mode a writer's lock makes the read wait at most the busy timeout.
 */
final class SqliteReader implements DatabaseReader {
  private final DatabaseUrl.Sqlite url;
  private final DatabaseTimeouts timeouts;
  private final String where;

  SqliteReader(DatabaseUrl.Sqlite url, DatabaseTimeouts timeouts) {
    this.url = url;
    this.timeouts = timeouts;
    this.where = "database " + url.name() + " (" + url.describe() + ")";
  }

  @Override
  public String describe() {
    return url.describe();
  }

  @Override
  public synchronized DatabaseSnapshot read() throws DatabaseSourceException {
    if (!Files.isRegularFile(url.file())) {
      // SQLite's own message is "unable to open database file", for this and five other causes.
      throw new DatabaseSourceException(
          Reason.CONNECT, where + ": no such file (is Synapse's database_path right?)");
    }
    String doing = "opening the file read-only";
    // Opened as usual, even read-only, a WAL database that no process has open gets its -wal and
    // -shm files created beside it (as this process's user, which may then keep Synapse from
    // opening it). Then nobody writes it: read it as an immutable file, which creates nothing.
    try (Connection c = open(walWithoutItsFiles(url.file()))) {
      doing = "reading background_updates";
      List<QueuedUpdate> queue = UpdateQueue.order(SynapseTables.queue(c, where));
      doing = "reading schema_version";
      OptionalLong schema = SynapseTables.schemaVersion(c, where);
      return new DatabaseSnapshot(url.name(), queue, schema, List.of());
    } catch (SQLException e) {
      throw SqlFailures.wrap(where, doing, e, null);
    }
  }

  /**
   * Whether the file's header says WAL mode (bytes 18 and 19 are 2) while its -wal or -shm file is
   * missing: what a WAL database looks like when no process has it open.
   */
  static boolean walWithoutItsFiles(Path file) throws DatabaseSourceException {
    byte[] header;
    try (InputStream in = Files.newInputStream(file)) {
      header = in.readNBytes(20);
    } catch (IOException e) {
      throw new DatabaseSourceException(Reason.CONNECT, file + ": cannot read: " + e.getMessage());
    }
    boolean wal = header.length == 20 && header[18] == 2 && header[19] == 2;
    Path wal1 = file.resolveSibling(file.getFileName() + "-wal");
    Path shm = file.resolveSibling(file.getFileName() + "-shm");
    return wal && (!Files.exists(wal1) || !Files.exists(shm));
  }

  /** A read-only connection, package-private so tests can check what it refuses. */
  Connection open() throws SQLException {
    return open(false);
  }

  private Connection open(boolean immutable) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true); // READONLY open flag, without READWRITE or CREATE
    config.setOpenMode(SQLiteOpenMode.NOMUTEX);
    config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, timeouts.lock().toMillis()));
    Connection c =
        new org.sqlite.JDBC()
            .connect(
                immutable
                    ? "jdbc:sqlite:" + url.file().toAbsolutePath().toUri() + "?immutable=1"
                    : "jdbc:sqlite:" + url.file().toAbsolutePath(),
                config.toProperties());
    try (Statement s = c.createStatement()) {
      // A second guard: query_only refuses any write even on a connection opened read-write.
      s.execute("PRAGMA query_only = true");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  @Override
  public void close() {
    // Nothing kept between reads.
  }
}
