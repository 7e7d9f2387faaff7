package io.github.synapsebgu.exporter.source.database;

import io.github.synapsebgu.exporter.secrets.Secret;
import io.github.synapsebgu.exporter.source.database.DatabaseSourceException.Reason;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one Synapse database on PostgreSQL over one kept connection. The session is read-only from
 * its first statement ({@code default_transaction_read_only} in the startup packet, checked after
 * connecting), with short statement and lock timeouts, so the exporter can neither change Synapse's
 * data nor wait behind Synapse's locks. A broken connection is dropped and opened anew: at once,
 * once, when a kept connection turns out dead (a restarted server), else at the next read.
 */
final class PostgresReader implements DatabaseReader {
  private static final Logger log = LoggerFactory.getLogger(PostgresReader.class);

  /** Index builds in this database; relation names via regclass need no extra privilege. */
  static final String INDEX_PROGRESS_SQL =
      "SELECT relid::regclass::text, index_relid::regclass::text, command, phase,"
          + " blocks_done, blocks_total, tuples_done, tuples_total"
          + " FROM pg_stat_progress_create_index WHERE datname = current_database()"
          + " ORDER BY pid";

  /** How long close() waits for the driver to abort the connection. */
  static final long ABORT_WAIT_MILLIS = 1_000;

  private final DatabaseUrl.Postgres url;
  private final Optional<PasswordFile> passwordFile;
  private final DatabaseTimeouts timeouts;
  private final String where;
  private final org.postgresql.Driver driver = new org.postgresql.Driver();
  // Volatile: close() takes it from another thread without waiting for a read that holds the lock.
  private volatile Connection connection;
  private volatile boolean closed;
  private Secret lastPassword;

  PostgresReader(
      DatabaseUrl.Postgres url, Optional<PasswordFile> passwordFile, DatabaseTimeouts timeouts) {
    this.url = url;
    this.passwordFile = passwordFile;
    this.timeouts = timeouts;
    this.where = "database " + url.name() + " (" + url.describe() + ")";
  }

  @Override
  public String describe() {
    return url.describe();
  }

  @Override
  public synchronized DatabaseSnapshot read() throws DatabaseSourceException {
    boolean kept = connection != null;
    try {
      return readOnce();
    } catch (DatabaseSourceException e) {
      if (kept && connection == null && !closed && e.reason() == Reason.CONNECT) {
        // The kept connection died (a server restart, an idle timeout on the way): one fresh try
        // now, so a restart between two polls costs no poll.
        log.atInfo()
            .addKeyValue("database", url.name())
            .log("Database connection lost, reconnecting");
        return readOnce();
      }
      throw e;
    }
  }

  private DatabaseSnapshot readOnce() throws DatabaseSourceException {
    Connection c = connection();
    String doing = "reading background_updates";
    try {
      List<QueuedUpdate> queue = UpdateQueue.order(SynapseTables.queue(c, where));
      doing = "reading schema_version";
      OptionalLong schema = SynapseTables.schemaVersion(c, where);
      doing = "reading pg_stat_progress_create_index";
      List<IndexBuild> builds = indexBuilds(c);
      return new DatabaseSnapshot(url.name(), queue, schema, builds);
    } catch (SQLException e) {
      DatabaseSourceException failure = SqlFailures.wrap(where, doing, e, lastPassword);
      if (SqlFailures.breaksConnection(failure.reason()) || isClosed(c)) {
        drop();
      }
      throw failure;
    }
  }

  private List<IndexBuild> indexBuilds(Connection c) throws SQLException {
    List<IndexBuild> builds = new ArrayList<>();
    try (PreparedStatement statement = c.prepareStatement(INDEX_PROGRESS_SQL)) {
      statement.setMaxRows(100);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          builds.add(
              new IndexBuild(
                  Optional.ofNullable(rs.getString(1)).orElse("unknown"),
                  Optional.ofNullable(rs.getString(2)).orElse("unknown"),
                  Optional.ofNullable(rs.getString(3)).orElse("unknown"),
                  Optional.ofNullable(rs.getString(4)).orElse("unknown"),
                  counter(rs, 5),
                  counter(rs, 6),
                  counter(rs, 7),
                  counter(rs, 8)));
        }
      }
    }
    return builds;
  }

  private static OptionalLong counter(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() || value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
  }

  private Connection connection() throws DatabaseSourceException {
    Connection kept = connection;
    if (kept != null) {
      return kept;
    }
    if (closed) {
      throw new DatabaseSourceException(Reason.CONNECT, where + ": the reader is closed");
    }
    Properties props = new Properties();
    props.setProperty("user", url.user());
    Secret password = null;
    if (passwordFile.isPresent()) {
      try {
        password = passwordFile.get().read();
      } catch (IOException e) {
        throw new DatabaseSourceException(Reason.AUTH, where + ": " + e.getMessage());
      }
      props.setProperty("password", password.reveal());
    }
    // Without a password the driver looks in PGPASSFILE, then ~/.pgpass, as libpq does.
    lastPassword = password;
    url.parameters().forEach(props::setProperty);
    props.remove("application_name"); // pgjdbc's name for it differs
    props.setProperty(
        "ApplicationName",
        url.parameters().getOrDefault("application_name", "synapse-bgu-exporter"));
    props.setProperty(
        "options",
        "-c default_transaction_read_only=on"
            + " -c statement_timeout="
            + timeouts.statement().toMillis()
            + " -c lock_timeout="
            + timeouts.lock().toMillis()
            + " -c idle_in_transaction_session_timeout="
            + timeouts.statement().toMillis());
    props.setProperty("readOnly", "true");
    props.setProperty("readOnlyMode", "always");
    props.setProperty("connectTimeout", Long.toString(seconds(timeouts.connect().toMillis())));
    props.setProperty("loginTimeout", Long.toString(seconds(timeouts.connect().toMillis())));
    props.setProperty("socketTimeout", Long.toString(seconds(timeouts.socket().toMillis())));
    props.setProperty("tcpKeepAlive", "true");
    String jdbc = "jdbc:postgresql://" + url.host() + ":" + url.port() + "/";
    Connection c;
    try {
      c = driver.connect(jdbc + encode(url.database()), props);
    } catch (SQLException e) {
      throw SqlFailures.wrap(where, "connecting", e, password);
    }
    try {
      c.setAutoCommit(true);
      checkReadOnly(c);
    } catch (SQLException e) {
      close(c);
      throw SqlFailures.wrap(where, "setting up the session", e, password);
    } catch (DatabaseSourceException e) {
      close(c);
      throw e;
    }
    connection = c;
    if (closed) {
      // close() ran while this connection was being opened: it must not outlive the reader.
      drop();
      throw new DatabaseSourceException(Reason.CONNECT, where + ": the reader is closed");
    }
    return c;
  }

  /**
   * A connection pooler in transaction mode drops startup options silently: refuse a session that
   * is not read-only rather than trust it.
   */
  private void checkReadOnly(Connection c) throws SQLException, DatabaseSourceException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_setting('transaction_read_only')")) {
      if (!rs.next() || !"on".equals(rs.getString(1))) {
        throw new DatabaseSourceException(
            Reason.QUERY,
            where
                + ": the session is not read-only (a connection pooler dropping startup"
                + " options?); refusing to use it");
      }
    }
  }

  private static long seconds(long millis) {
    return Math.max(1, (millis + 999) / 1000);
  }

  private static String encode(String database) {
    return java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  private static boolean isClosed(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  private void drop() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      close(c);
    }
  }

  private static void close(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // Already broken: nothing to release on our side.
    }
  }

  /** The kept session, for tests that check what it allows. */
  synchronized Connection session() throws DatabaseSourceException {
    return connection();
  }

  /**
   * Stops at once, even while a read waits on the server (a lock, a slow statement, a server that
   * stopped answering): the connection is aborted (its socket closed, which fails the blocked read
   * at once) instead of waiting for the read to end. Not synchronized, for that reason; bounded by
   * {@link #ABORT_WAIT_MILLIS} however the driver behaves.
   */
  @Override
  public void close() {
    closed = true;
    Connection c = connection;
    connection = null;
    if (c == null) {
      return;
    }
    Thread aborter =
        new Thread(
            () -> {
              try {
                c.abort(Runnable::run);
              } catch (SQLException | RuntimeException e) {
                close(c);
              }
            },
            "database-abort-" + url.name());
    aborter.setDaemon(true);
    aborter.start();
    try {
      aborter.join(ABORT_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
