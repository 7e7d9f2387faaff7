package io.github.synapsebgu.exporter.source.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.source.database.DatabaseSourceException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against real SQLite files, written the way Synapse writes them (WAL mode). */
class SqliteReaderTest {
  @TempDir Path dir;
  private Path file;

  @BeforeEach
  void createSynapseFile() throws SQLException {
    file = dir.resolve("homeserver.db");
    try (Connection synapse = synapse(file);
        Statement s = synapse.createStatement()) {
      s.execute("PRAGMA journal_mode = WAL");
      for (String sql : TestPostgres.SYNAPSE_TABLES.split(";")) {
        s.execute(sql);
      }
      s.execute("INSERT INTO schema_version (version, upgraded) VALUES (92, 1)");
    }
  }

  private static Connection synapse(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file);
  }

  private SqliteReader reader(Path file) {
    return (SqliteReader)
        DatabaseReader.open(
            DatabaseUrlParser.parse("state=sqlite:" + file),
            Optional.empty(),
            new DatabaseTimeouts(
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(500)));
  }

  /** Synapse stopped (e.g. during an upgrade): SQLite removed the -wal and -shm files. */
  @Test
  void a_wal_database_nobody_has_open_is_read_without_creating_anything_beside_it()
      throws Exception {
    try (Connection synapse = synapse(file);
        Statement s = synapse.createStatement()) {
      s.execute(
          "INSERT INTO background_updates VALUES ('populate_stats_process_rooms', '{}', NULL, 0)");
    }
    List<Path> before;
    try (var files = Files.list(dir)) {
      before = files.sorted().toList();
    }
    assertThat(before).containsExactly(file); // the test's premise: no -wal, no -shm

    DatabaseSnapshot read = reader(file).read();

    assertThat(read.queue())
        .extracting(QueuedUpdate::name)
        .containsExactly("populate_stats_process_rooms");
    try (var files = Files.list(dir)) {
      assertThat(files.sorted().toList()).isEqualTo(before);
    }
  }

  @Test
  void the_queue_schema_version_and_progress_are_read() throws Exception {
    try (Connection synapse = synapse(file);
        Statement s = synapse.createStatement()) {
      s.execute(
          "INSERT INTO background_updates VALUES"
              + " ('populate_user_directory_process_rooms', '{\"remaining\":7}',"
              + "  'populate_user_directory_createtables', 0),"
              + " ('populate_user_directory_createtables', '{}', NULL, 0),"
              + " ('broken_progress', 'not json', NULL, 9001)");
    }
    DatabaseSnapshot snapshot = reader(file).read();
    assertThat(snapshot.database()).isEqualTo("state");
    assertThat(snapshot.schemaVersion()).hasValue(92);
    assertThat(snapshot.queue())
        .extracting(QueuedUpdate::name)
        .containsExactly(
            "populate_user_directory_createtables",
            "populate_user_directory_process_rooms",
            "broken_progress");
    assertThat(snapshot.queue().get(1).remaining()).hasValue(7);
    assertThat(snapshot.queue().get(2).remaining()).isEmpty();
    assertThat(snapshot.indexBuilds()).isEmpty();
  }

  @Test
  void a_file_written_by_synapse_meanwhile_is_read_without_blocking_either() throws Exception {
    SqliteReader reader = reader(file);
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Integer> writer =
        CompletableFuture.supplyAsync(
            () -> {
              int n = 0;
              try (Connection synapse = synapse(file);
                  PreparedStatement insert =
                      synapse.prepareStatement(
                          "INSERT INTO background_updates VALUES (?, '{}', NULL, 0)");
                  PreparedStatement delete =
                      synapse.prepareStatement(
                          "DELETE FROM background_updates WHERE update_name = ?")) {
                synapse.setAutoCommit(false);
                while (!stop.get() && n < 100_000) {
                  // An update queued, then finished: the table holds 1 row, then 0, and so on.
                  if (n % 2 == 0) {
                    insert.setString(1, "u" + n);
                    insert.executeUpdate();
                  } else {
                    delete.setString(1, "u" + (n - 1));
                    delete.executeUpdate();
                  }
                  synapse.commit(); // one write transaction per step, as Synapse's batches
                  n++;
                }
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
              return n;
            });
    List<Integer> sizes = new ArrayList<>();
    long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (System.nanoTime() < end) {
      sizes.add(reader.read().queue().size());
    }
    stop.set(true);
    int written = writer.get();

    assertThat(written).as("writes done meanwhile").isGreaterThan(100);
    assertThat(sizes).hasSizeGreaterThan(10).allSatisfy(n -> assertThat(n).isBetween(0, 1));
    assertThat(reader.read().queue()).hasSize(written % 2);
  }

  @Test
  void the_reader_cannot_write() throws Exception {
    try (Connection c = reader(file).open();
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute("DELETE FROM background_updates"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("readonly");
    }
  }

  @Test
  void a_missing_file_is_a_connect_error_and_is_not_created() {
    Path missing = dir.resolve("no-such.db");
    assertThatThrownBy(() -> reader(missing).read())
        .isInstanceOf(DatabaseSourceException.class)
        .satisfies(
            e -> assertThat(((DatabaseSourceException) e).reason()).isEqualTo(Reason.CONNECT))
        .hasMessageContaining("no such file")
        .hasMessageContaining("database state");
    assertThat(missing).doesNotExist();
  }

  @Test
  void opening_a_missing_file_directly_does_not_create_it_either() {
    // The driver's flags alone, without the check before it: read-only never means "create".
    Path missing = dir.resolve("raced.db");
    assertThatThrownBy(() -> reader(missing).open().close()).isInstanceOf(SQLException.class);
    assertThat(missing).doesNotExist();
  }

  @Test
  void a_file_locked_by_a_writer_in_rollback_journal_mode_fails_as_a_timeout_quickly()
      throws Exception {
    Path old = dir.resolve("old.db");
    try (Connection synapse = synapse(old);
        Statement s = synapse.createStatement()) {
      s.execute("PRAGMA journal_mode = DELETE");
      for (String sql : TestPostgres.SYNAPSE_TABLES.split(";")) {
        s.execute(sql);
      }
    }
    try (Connection synapse = synapse(old);
        Statement s = synapse.createStatement()) {
      s.execute("BEGIN EXCLUSIVE");
      long start = System.nanoTime();
      assertThatThrownBy(() -> reader(old).read())
          .isInstanceOf(DatabaseSourceException.class)
          .satisfies(
              e -> assertThat(((DatabaseSourceException) e).reason()).isEqualTo(Reason.TIMEOUT));
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(400), Duration.ofSeconds(3));
      s.execute("ROLLBACK");
    }
    assertThat(reader(old).read().queue()).isEmpty();
  }

  @Test
  void the_reader_holds_no_lock_between_reads() throws Exception {
    Path old = dir.resolve("old.db");
    try (Connection synapse = synapse(old);
        Statement s = synapse.createStatement()) {
      s.execute("PRAGMA journal_mode = DELETE");
      for (String sql : TestPostgres.SYNAPSE_TABLES.split(";")) {
        s.execute(sql);
      }
    }
    SqliteReader reader = reader(old);
    reader.read();
    try (Connection synapse = synapse(old);
        Statement s = synapse.createStatement()) {
      s.execute("PRAGMA busy_timeout = 0");
      s.execute("BEGIN EXCLUSIVE"); // fails at once if any shared lock were still held
      s.execute("INSERT INTO background_updates VALUES ('x', '{}', NULL, 0)");
      s.execute("COMMIT");
    }
  }

  @Test
  void a_file_that_is_not_a_database_fails_with_a_clear_reason() throws Exception {
    Path garbage = dir.resolve("garbage.db");
    Files.write(garbage, new byte[8192]);
    Files.writeString(garbage, "this is not SQLite");
    assertThatThrownBy(() -> reader(garbage).read())
        .isInstanceOf(DatabaseSourceException.class)
        .satisfies(
            e -> assertThat(((DatabaseSourceException) e).reason()).isEqualTo(Reason.CONNECT))
        .hasMessageContaining("not a database");
  }

  @Test
  void a_file_without_synapses_tables_fails_as_query() throws Exception {
    Path other = dir.resolve("other.db");
    try (Connection c = synapse(other);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (i int)");
    }
    assertThatThrownBy(() -> reader(other).read())
        .isInstanceOf(DatabaseSourceException.class)
        .satisfies(e -> assertThat(((DatabaseSourceException) e).reason()).isEqualTo(Reason.QUERY))
        .hasMessageContaining("no such table");
  }

  @Test
  void a_table_synapse_never_writes_is_invalid_data_not_a_heap_full_of_it() throws Exception {
    try (Connection synapse = synapse(file);
        Statement s = synapse.createStatement()) {
      s.execute("INSERT INTO background_updates VALUES ('a', '{}', '" + "x".repeat(600) + "', 0)");
    }
    assertThatThrownBy(() -> reader(file).read())
        .satisfies(
            e -> assertThat(((DatabaseSourceException) e).reason()).isEqualTo(Reason.INVALID_DATA))
        .hasMessageContaining("depends_on longer than 512");

    try (Connection synapse = synapse(file);
        Statement s = synapse.createStatement()) {
      s.execute("DELETE FROM background_updates");
      s.execute("INSERT INTO background_updates VALUES ('" + "n".repeat(600) + "', '{}', NULL, 0)");
    }
    assertThatThrownBy(() -> reader(file).read())
        .hasMessageContaining("a name or with one longer than 512");

    try (Connection synapse = synapse(file);
        Statement s = synapse.createStatement()) {
      s.execute("DELETE FROM background_updates");
      s.execute(
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1001)"
              + " INSERT INTO background_updates SELECT 'u' || i, '{}', NULL, i FROM n");
    }
    assertThatThrownBy(() -> reader(file).read()).hasMessageContaining("more than 1000 rows");
    try (Connection synapse = synapse(file);
        Statement s = synapse.createStatement()) {
      s.execute("DELETE FROM background_updates WHERE update_name = 'u1001'");
    }
    assertThat(reader(file).read().queue()).hasSize(1000);
  }
}
