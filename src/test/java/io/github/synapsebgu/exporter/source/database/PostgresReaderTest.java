package io.github.synapsebgu.exporter.source.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.source.database.DatabaseSourceException.Reason;
import io.github.synapsebgu.exporter.source.database.TestPostgres.SynapseDatabase;
import io.github.synapsebgu.exporter.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real PostgreSQL server (scripts/ci/postgres.sh), with the documented role. */
class PostgresReaderTest {
  @TempDir Path dir;

  private SynapseDatabase db;
  private final List<DatabaseReader> readers = new ArrayList<>();

  @BeforeEach
  void createDatabase() throws Exception {
    db = TestPostgres.require().createSynapseDatabase(dir);
  }

  @AfterEach
  void closeReaders() {
    readers.forEach(DatabaseReader::close);
  }

  private PostgresReader reader(DatabaseTimeouts timeouts) {
    PostgresReader reader =
        (PostgresReader)
            DatabaseReader.open(
                DatabaseUrlParser.parse(db.url()),
                Optional.of(PasswordFile.open(db.passwordFile())),
                timeouts);
    readers.add(reader);
    return reader;
  }

  private PostgresReader reader() {
    return reader(DatabaseTimeouts.DEFAULTS);
  }

  @Test
  void the_queue_comes_in_the_order_synapse_runs_it() throws Exception {
    // The chain measured during start_job regenerate_directory, plus two updates from upgrades.
    db.execute(
        "INSERT INTO background_updates (update_name, progress_json, depends_on, ordering) VALUES"
            + " ('populate_user_directory_cleanup', '{}', 'populate_user_directory_process_users', 0),"
            + " ('populate_user_directory_createtables', '{}', NULL, 0),"
            + " ('populate_user_directory_process_rooms', '{\"remaining\": 42}',"
            + "   'populate_user_directory_createtables', 0),"
            + " ('populate_user_directory_process_users', '{\"remaining\": -2}',"
            + "   'populate_user_directory_process_rooms', 0),"
            + " ('event_arbitrary_relations', '{\"lower_bound_id\": 5}', NULL, 7003),"
            + " ('a_update_waiting_for_a_later_one', '{}', 'event_arbitrary_relations', 6000)");

    DatabaseSnapshot snapshot = reader().read();

    assertThat(snapshot.database()).isEqualTo("master");
    assertThat(snapshot.schemaVersion()).hasValue(92);
    assertThat(snapshot.queue())
        .extracting(QueuedUpdate::position, QueuedUpdate::name)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, "populate_user_directory_createtables"),
            org.assertj.core.groups.Tuple.tuple(1, "populate_user_directory_process_rooms"),
            org.assertj.core.groups.Tuple.tuple(2, "populate_user_directory_process_users"),
            org.assertj.core.groups.Tuple.tuple(3, "populate_user_directory_cleanup"),
            org.assertj.core.groups.Tuple.tuple(4, "event_arbitrary_relations"),
            org.assertj.core.groups.Tuple.tuple(5, "a_update_waiting_for_a_later_one"));
    assertThat(snapshot.queue().get(1).remaining()).hasValue(42);
    assertThat(snapshot.queue().get(2).remaining()).isEmpty(); // -2 is not a count
    assertThat(snapshot.queue().get(4).ordering()).isEqualTo(7003);
    assertThat(snapshot.queue().get(5).dependsOn()).hasValue("event_arbitrary_relations");
    assertThat(snapshot.indexBuilds()).isEmpty();
  }

  @Test
  void an_empty_table_is_an_empty_queue() throws Exception {
    assertThat(reader().read().queue()).isEmpty();
  }

  @Test
  void the_session_refuses_writes() throws Exception {
    PostgresReader reader = reader();
    reader.read();
    try (Statement s = reader.session().createStatement()) {
      assertThatThrownBy(() -> s.execute("DELETE FROM background_updates WHERE update_name = 'x'"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
    }
  }

  @Test
  void a_session_with_writes_allowed_is_refused_even_for_a_superuser() throws Exception {
    // The superuser could write anywhere: the session settings alone must stop it.
    Path adminPassword = dir.resolve("admin.password");
    Files.writeString(adminPassword, db.server().adminPassword);
    String url =
        "postgresql://"
            + db.server().adminUser
            + "@"
            + db.server().host
            + ":"
            + db.server().port
            + "/"
            + db.database();
    PostgresReader reader =
        (PostgresReader)
            DatabaseReader.open(
                DatabaseUrlParser.parse(url),
                Optional.of(PasswordFile.open(adminPassword)),
                DatabaseTimeouts.DEFAULTS);
    readers.add(reader);
    try (Statement s = reader.session().createStatement()) {
      assertThatThrownBy(() -> s.execute("CREATE TABLE x (i int)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("read-only");
    }
  }

  @Test
  void a_table_locked_by_synapse_fails_the_read_as_a_timeout_within_the_lock_timeout()
      throws Exception {
    PostgresReader reader = reader();
    reader.read();
    try (Connection synapse = db.admin()) {
      synapse.setAutoCommit(false);
      try (Statement s = synapse.createStatement()) {
        s.execute("LOCK TABLE background_updates IN ACCESS EXCLUSIVE MODE");
      }
      long start = System.nanoTime();
      assertThatThrownBy(reader::read)
          .isInstanceOf(DatabaseSourceException.class)
          .satisfies(
              e -> assertThat(((DatabaseSourceException) e).reason()).isEqualTo(Reason.TIMEOUT))
          .hasMessageContaining("lock timeout");
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(4));
      synapse.rollback();
    }
    assertThat(reader.read().queue()).isEmpty(); // the same session, still usable
  }

  @Test
  void a_lock_longer_than_the_statement_timeout_fails_as_a_timeout_of_the_statement()
      throws Exception {
    PostgresReader reader =
        reader(
            new DatabaseTimeouts(
                Duration.ofSeconds(5), Duration.ofMillis(800), Duration.ofSeconds(30)));
    try (Connection synapse = db.admin()) {
      synapse.setAutoCommit(false);
      try (Statement s = synapse.createStatement()) {
        s.execute("LOCK TABLE background_updates IN ACCESS EXCLUSIVE MODE");
      }
      long start = System.nanoTime();
      assertThatThrownBy(reader::read)
          .satisfies(
              e -> assertThat(((DatabaseSourceException) e).reason()).isEqualTo(Reason.TIMEOUT))
          .hasMessageContaining("statement timeout");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      synapse.rollback();
    }
  }

  @Test
  void close_does_not_wait_for_a_read_blocked_on_the_server() throws Exception {
    // Timeouts far longer than the test: only close() can end the read in time.
    PostgresReader reader =
        reader(
            new DatabaseTimeouts(
                Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(60)));
    reader.read();
    try (Connection synapse = db.admin()) {
      synapse.setAutoCommit(false);
      try (Statement s = synapse.createStatement()) {
        s.execute("LOCK TABLE background_updates IN ACCESS EXCLUSIVE MODE");
      }
      CompletableFuture<DatabaseSnapshot> read =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return reader.read();
                } catch (DatabaseSourceException e) {
                  throw new java.util.concurrent.CompletionException(e);
                }
              });
      awaitWaitingOnALock(synapse);

      long start = System.nanoTime();
      CompletableFuture.runAsync(reader::close).get(3, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      // The blocked read ends too, as a failure, and no new session is opened after close.
      assertThatThrownBy(() -> read.get(3, TimeUnit.SECONDS))
          .hasCauseInstanceOf(DatabaseSourceException.class);
      assertThatThrownBy(reader::read).hasMessageContaining("closed");
      synapse.rollback();
    }
  }

  /** Until the exporter's session waits on the lock the test holds. */
  private static void awaitWaitingOnALock(Connection synapse) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try (Statement s = synapse.createStatement()) {
      while (System.nanoTime() < deadline) {
        try (java.sql.ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND application_name = 'synapse-bgu-exporter'")) {
          rs.next();
          if (rs.getInt(1) > 0) {
            return;
          }
        }
        Thread.sleep(20);
      }
    }
    throw new AssertionError("the read never waited on the lock");
  }

  @Test
  void a_restarted_server_costs_no_read() throws Exception {
    PostgresReader reader = reader();
    db.execute("INSERT INTO background_updates VALUES ('u', '{}', NULL, 1)");
    assertThat(reader.read().queue()).hasSize(1);
    try (LogCapture logs = new LogCapture()) {
      db.server().pgCtl("restart");

      assertThat(reader.read().queue()).hasSize(1);
      assertThat(logs.lines()).anyMatch(l -> l.contains("reconnecting"));
    }
  }

  @Test
  void a_stopped_server_fails_as_connect_and_is_read_again_once_back() throws Exception {
    PostgresReader reader = reader();
    reader.read();
    db.server().pgCtl("stop");
    try {
      assertThatThrownBy(reader::read)
          .satisfies(
              e -> assertThat(((DatabaseSourceException) e).reason()).isEqualTo(Reason.CONNECT))
          .hasMessageNotContaining(db.password());
      assertThatThrownBy(reader::read)
          .satisfies(
              e -> assertThat(((DatabaseSourceException) e).reason()).isEqualTo(Reason.CONNECT));
    } finally {
      db.server().pgCtl("start");
    }
    assertThat(reader.read().queue()).isEmpty();
  }

  /** Synapse's CREATE INDEX CONCURRENTLY on a table big enough to take seconds, sampled. */
  private List<IndexBuild> sampleAnIndexBuild(PostgresReader reader) throws Exception {
    db.execute(
        "CREATE TABLE events_test AS SELECT g AS id, md5(g::text) AS h"
            + " FROM generate_series(1, 1000000) g");
    CompletableFuture<Void> build =
        CompletableFuture.runAsync(
            () -> {
              try (Connection synapse = db.admin();
                  Statement s = synapse.createStatement()) {
                s.execute("SET maintenance_work_mem = '1MB'");
                s.execute("SET max_parallel_maintenance_workers = 0");
                s.execute("CREATE INDEX CONCURRENTLY events_test_h ON events_test (h)");
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });
    List<IndexBuild> seen = new ArrayList<>();
    while (!build.isDone()) {
      seen.addAll(reader.read().indexBuilds());
      Thread.sleep(20);
    }
    build.get();
    assertThat(reader.read().indexBuilds()).isEmpty();
    return seen;
  }

  @Test
  void a_real_index_build_shows_its_progress_rising() throws Exception {
    List<IndexBuild> seen = sampleAnIndexBuild(reader());

    assertThat(seen).isNotEmpty();
    assertThat(seen)
        .allSatisfy(
            b -> {
              assertThat(b.table()).isEqualTo("events_test");
              assertThat(b.command()).isEqualTo("CREATE INDEX CONCURRENTLY");
            });
    // pg_read_all_stats shows another session's numbers: the blocks done rise.
    List<Long> done = new ArrayList<>();
    for (IndexBuild b : seen) {
      b.blocksDone().ifPresent(done::add);
    }
    assertThat(done.stream().distinct().count()).as("distinct blocks_done seen").isGreaterThan(1);
    assertThat(seen).anyMatch(b -> b.phase().startsWith("building index"));
    assertThat(seen)
        .anyMatch(b -> b.blocksTotal().isPresent() && b.blocksTotal().getAsLong() > 1000);
  }

  @Test
  void without_pg_read_all_stats_no_build_numbers_are_seen_and_no_read_fails() throws Exception {
    // Why the documented role has pg_read_all_stats: without it, another role's build is hidden.
    db.execute("REVOKE pg_read_all_stats FROM " + db.role());
    List<IndexBuild> seen = sampleAnIndexBuild(reader());

    assertThat(seen).allSatisfy(b -> assertThat(b.blocksDone()).isEmpty());
  }

  @Test
  void without_a_password_file_or_pgpass_the_login_fails_as_auth() throws Exception {
    System.setProperty("org.postgresql.pgpassfile", dir.resolve("no-such-pgpass").toString());
    try {
      DatabaseReader reader =
          DatabaseReader.open(
              DatabaseUrlParser.parse(db.url()), Optional.empty(), DatabaseTimeouts.DEFAULTS);
      readers.add(reader);
      assertThatThrownBy(reader::read)
          .satisfies(
              e -> assertThat(((DatabaseSourceException) e).reason()).isEqualTo(Reason.AUTH));
    } finally {
      System.clearProperty("org.postgresql.pgpassfile");
    }
  }

  @Test
  void the_password_can_come_from_a_pgpass_file() throws Exception {
    Path pgpass = dir.resolve("pgpass");
    Files.writeString(
        pgpass,
        db.server().host
            + ":"
            + db.server().port
            + ":"
            + db.database()
            + ":"
            + db.role()
            + ":"
            + db.password().replace("\\", "\\\\").replace(":", "\\:")
            + "\n");
    System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
    try {
      DatabaseReader reader =
          DatabaseReader.open(
              DatabaseUrlParser.parse(db.url()), Optional.empty(), DatabaseTimeouts.DEFAULTS);
      readers.add(reader);
      assertThat(reader.read().schemaVersion()).hasValue(92);
    } finally {
      System.clearProperty("org.postgresql.pgpassfile");
    }
  }

  @Test
  void a_wrong_password_fails_as_auth_and_no_password_is_in_any_message_or_log_line()
      throws Exception {
    Path wrong = dir.resolve("wrong.password");
    String wrongPassword = "wrong-" + db.password();
    Files.writeString(wrong, wrongPassword);
    List<String> messages = new ArrayList<>();
    try (LogCapture logs = new LogCapture();
        JulCapture driverLogs = new JulCapture("org.postgresql")) {
      DatabaseReader bad =
          DatabaseReader.open(
              DatabaseUrlParser.parse(db.url()),
              Optional.of(PasswordFile.open(wrong)),
              DatabaseTimeouts.DEFAULTS);
      readers.add(bad);
      assertThatThrownBy(bad::read)
          .satisfies(e -> assertThat(((DatabaseSourceException) e).reason()).isEqualTo(Reason.AUTH))
          .satisfies(e -> messages.add(e.getMessage()));

      PostgresReader good = reader();
      good.read();
      try (Connection synapse = db.admin()) {
        synapse.setAutoCommit(false);
        try (Statement s = synapse.createStatement()) {
          s.execute("LOCK TABLE background_updates IN ACCESS EXCLUSIVE MODE");
        }
        assertThatThrownBy(good::read).satisfies(e -> messages.add(e.getMessage()));
        synapse.rollback();
      }
      db.server().pgCtl("restart");
      good.read();

      assertThat(messages).hasSize(2).allSatisfy(m -> assertThat(m).doesNotContain("pw-"));
      assertThat(logs.all()).doesNotContain(db.password()).doesNotContain("pw-");
      assertThat(driverLogs.all()).isNotEmpty().doesNotContain("pw-");
    }
  }

  @Test
  void a_role_without_the_grant_fails_as_permission() throws Exception {
    db.execute("REVOKE SELECT ON background_updates FROM " + db.role());
    assertThatThrownBy(reader()::read)
        .satisfies(
            e -> assertThat(((DatabaseSourceException) e).reason()).isEqualTo(Reason.PERMISSION))
        .hasMessageContaining("background_updates");
  }

  @Test
  void a_database_that_is_not_synapses_fails_as_query() throws Exception {
    db.execute("DROP TABLE background_updates");
    assertThatThrownBy(reader()::read)
        .satisfies(e -> assertThat(((DatabaseSourceException) e).reason()).isEqualTo(Reason.QUERY));
  }

  @Test
  void an_unknown_database_fails_as_connect() throws Exception {
    String url = db.url().replace(db.database(), "no_such_database");
    DatabaseReader reader =
        DatabaseReader.open(
            DatabaseUrlParser.parse(url),
            Optional.of(PasswordFile.open(db.passwordFile())),
            DatabaseTimeouts.DEFAULTS);
    readers.add(reader);
    assertThatThrownBy(reader::read)
        .satisfies(
            e -> assertThat(((DatabaseSourceException) e).reason()).isEqualTo(Reason.CONNECT));
  }

  @Test
  void an_oversized_progress_json_is_not_read_and_not_an_error() throws Exception {
    db.execute(
        "INSERT INTO background_updates VALUES ('big', '{\"remaining\": 5, \"pad\": \"' ||"
            + " repeat('x', 100000) || '\"}', NULL, 1)");
    DatabaseSnapshot snapshot = reader().read();
    assertThat(snapshot.queue())
        .singleElement()
        .satisfies(u -> assertThat(u.remaining()).isEmpty());
  }
}
