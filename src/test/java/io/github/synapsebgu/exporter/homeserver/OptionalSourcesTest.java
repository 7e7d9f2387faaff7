package io.github.synapsebgu.exporter.homeserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.config.HomeserverConfig;
import io.github.synapsebgu.exporter.config.SourcesConfig;
import io.github.synapsebgu.exporter.poll.PollScheduler;
import io.github.synapsebgu.exporter.poll.SourcePoller;
import io.github.synapsebgu.exporter.secrets.Secret;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.source.database.DatabaseUrl;
import io.github.synapsebgu.exporter.source.database.DatabaseUrlParser;
import io.github.synapsebgu.exporter.source.database.PasswordFile;
import io.github.synapsebgu.exporter.source.database.TestPostgres;
import io.github.synapsebgu.exporter.source.database.TestPostgres.SynapseDatabase;
import io.github.synapsebgu.exporter.synapse.RequestDeadlines;
import io.github.synapsebgu.exporter.synapse.SynapseHttpSettings;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import io.github.synapsebgu.exporter.testing.LogCapture;
import io.github.synapsebgu.exporter.testing.MutableClock;
import io.github.synapsebgu.exporter.testing.SynapseAnswers;
import io.github.synapsebgu.exporter.testing.Wire;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One homeserver with its optional sources, over real HTTP ({@link FakeSynapse} as the admin API
 * and as Synapse's metrics endpoint) and a real PostgreSQL (scripts/ci/postgres.sh).
 */
class OptionalSourcesTest {
  private static final Duration STALE_AFTER = Duration.ofMinutes(5);

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
  private final PollScheduler scheduler = new PollScheduler();
  private final RequestDeadlines deadlines = new RequestDeadlines();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    deadlines.close();
    scheduler.close();
  }

  /** Synapse as it stands at the start: populate_stats_process_rooms running on master. */
  private FakeSynapse adminApi() {
    FakeSynapse s = FakeSynapse.start();
    open.add(s);
    return s;
  }

  private Homeserver homeserver(FakeSynapse adminApi, SourcesConfig sources) {
    Homeserver h =
        new Homeserver(
            new HomeserverConfig(
                "default",
                Optional.of(
                    new SynapseHttpSettings(
                        adminApi.url(), Duration.ofSeconds(5), Optional.empty(), false)),
                Optional.of(TokenSource.fixed(new Secret(FakeSynapse.TOKEN), "test")),
                Duration.ofSeconds(5),
                Duration.ofMillis(200),
                STALE_AFTER,
                sources),
            clock,
            "test",
            scheduler,
            deadlines);
    open.add(h);
    return h;
  }

  private String scrape(Homeserver h) throws Exception {
    return Wire.scrapeOnce(h.metricsEndpoint());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }

  private static void awaitPolled(SourcePoller<?> source) throws InterruptedException {
    await(source.source() + " polled", () -> source.snapshot().firstPollDone());
  }

  private static SourcesConfig database(String url, Optional<PasswordFile> password) {
    DatabaseUrl parsed = DatabaseUrlParser.parse(url);
    return new SourcesConfig(Optional.empty(), List.of(parsed), password);
  }

  /** Each series of {@code name}, its labels as written. */
  private static Set<String> series(String metrics, String name) {
    Set<String> found = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(metrics);
    while (m.find()) {
      found.add(m.group(1) + " " + m.group(2));
    }
    return found;
  }

  @Test
  void the_queue_on_metrics_equals_the_table_with_its_dependencies() throws Exception {
    SynapseDatabase db = TestPostgres.require().createSynapseDatabase(dir);
    // The chain measured during start_job regenerate_directory, and one update from an upgrade.
    db.execute(
        "INSERT INTO background_updates (update_name, progress_json, depends_on, ordering) VALUES"
            + " ('populate_user_directory_cleanup', '{}', 'populate_user_directory_process_users', 0),"
            + " ('populate_user_directory_createtables', '{}', NULL, 0),"
            + " ('populate_user_directory_process_rooms', '{\"remaining\": 42}',"
            + "   'populate_user_directory_createtables', 0),"
            + " ('populate_user_directory_process_users', '{\"remaining\": -2}',"
            + "   'populate_user_directory_process_rooms', 0),"
            + " ('event_arbitrary_relations', '{}', NULL, 7003)");
    Homeserver h =
        homeserver(
            adminApi(), database(db.url(), Optional.of(PasswordFile.open(db.passwordFile()))));
    h.start();
    awaitPolled(h.databaseSources().get(0));

    String metrics = scrape(h);
    // What the table says, read with the superuser: every row, with what it waits for.
    Set<String> table = new TreeSet<>();
    try (Connection c = db.admin();
        Statement s = c.createStatement();
        ResultSet rows =
            s.executeQuery("SELECT update_name, ordering, depends_on FROM background_updates")) {
      while (rows.next()) {
        String dependsOn = rows.getString(3);
        table.add(
            "database=\"master\",depends_on=\""
                + (dependsOn == null ? "" : dependsOn)
                + "\",ordering=\""
                + rows.getLong(2)
                + "\",update=\""
                + rows.getString(1)
                + "\" 1");
      }
    }
    assertThat(table).hasSize(5);
    assertThat(series(metrics, "synapse_background_update_info")).isEqualTo(table);
    assertThat(series(metrics, "synapse_background_update_queue_position"))
        .containsExactlyInAnyOrder(
            "database=\"master\",update=\"populate_user_directory_createtables\" 0.0",
            "database=\"master\",update=\"populate_user_directory_process_rooms\" 1.0",
            "database=\"master\",update=\"populate_user_directory_process_users\" 2.0",
            "database=\"master\",update=\"populate_user_directory_cleanup\" 3.0",
            "database=\"master\",update=\"event_arbitrary_relations\" 4.0");
    assertThat(metrics)
        .contains("synapse_background_updates_pending{database=\"master\"} 5.0")
        .contains("synapse_background_updates_schema_version{database=\"master\"} 92.0")
        .contains(
            "synapse_background_updates_source_up{database=\"master\",source=\"database\"} 1.0");
    // -2 was seen on a real Synapse: absent, never negative.
    assertThat(series(metrics, "synapse_background_update_items_remaining"))
        .containsExactly(
            "database=\"master\",update=\"populate_user_directory_process_rooms\" 42.0");
  }

  /** A Synapse-shaped SQLite file, as Synapse leaves it (WAL mode), with {@code rows}. */
  private Path sqliteDatabase(String file, String rows) throws Exception {
    Path path = dir.resolve(file);
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + path);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode = WAL");
      s.execute(
          "CREATE TABLE background_updates (update_name text NOT NULL, progress_json text NOT"
              + " NULL, depends_on text, ordering INT NOT NULL DEFAULT 0)");
      s.execute("CREATE TABLE schema_version (Lock CHAR(1), version INTEGER, upgraded BOOL)");
      s.execute("INSERT INTO schema_version VALUES ('X', 92, 1)");
      s.execute("INSERT INTO background_updates VALUES " + rows);
    }
    return path;
  }

  @Test
  void one_failing_database_leaves_the_others_series_and_is_named_by_its_up_gauge()
      throws Exception {
    Path master = sqliteDatabase("master.db", "('populate_stats_process_rooms', '{}', NULL, 7001)");
    Path state = sqliteDatabase("state.db", "('state_groups_room_id_idx', '{}', NULL, 7002)");
    Homeserver h =
        homeserver(
            adminApi(),
            new SourcesConfig(
                Optional.empty(),
                List.of(
                    DatabaseUrlParser.parse("sqlite:" + master),
                    DatabaseUrlParser.parse("state=sqlite:" + state)),
                Optional.empty()));
    h.start();
    await("both read", () -> h.databaseSources().stream().allMatch(p -> p.snapshot().up()));

    java.nio.file.Files.delete(state); // the state database goes away
    await("state failing", () -> !h.databaseSources().get(1).snapshot().up());
    String metrics = scrape(h);

    assertThat(metrics)
        .contains(
            "synapse_background_updates_source_up{database=\"master\",source=\"database\"} 1.0")
        .contains(
            "synapse_background_updates_source_up{database=\"state\",source=\"database\"} 0.0")
        .contains(
            "synapse_background_updates_source_errors_total{database=\"state\",reason=\"connect\","
                + "source=\"database\"} 1.0")
        .contains("synapse_background_updates_pending{database=\"master\"} 1.0")
        .contains(
            "synapse_background_update_queue_position{database=\"master\","
                + "update=\"populate_stats_process_rooms\"} 0.0")
        // the failing one keeps its last good values until stale
        .contains("synapse_background_updates_pending{database=\"state\"} 1.0");

    clock.advance(STALE_AFTER.plusSeconds(1));
    await("state still failing", () -> !h.databaseSources().get(1).snapshot().up());
    assertThat(scrape(h))
        .contains("synapse_background_updates_pending{database=\"master\"} 1.0")
        .doesNotContain("synapse_background_updates_pending{database=\"state\"}");
  }

  @Test
  void the_updater_state_comes_from_the_metrics_endpoint_without_the_admin_token()
      throws Exception {
    FakeSynapse synapse = adminApi();
    synapse.updaterState("master", "-1.0");
    Homeserver h =
        homeserver(
            synapse,
            new SourcesConfig(Optional.of(synapse.metricsUrl()), List.of(), Optional.empty()));
    h.start();
    awaitPolled(h.metricsSource().orElseThrow());

    assertThat(series(scrape(h), "synapse_background_updates_updater_state"))
        .containsExactlyInAnyOrder(
            "database=\"master\",state=\"aborted\" 1.0",
            "database=\"master\",state=\"disabled\" 0.0",
            "database=\"master\",state=\"not_started\" 0.0",
            "database=\"master\",state=\"running\" 0.0",
            "database=\"master\",state=\"complete\" 0.0");
    assertThat(synapse.requests(Call.METRICS))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.getHeader("Authorization")).isNull());
  }

  @Test
  void a_database_that_is_down_leaves_up_at_1_and_the_admin_api_metrics_fresh() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Homeserver h =
        homeserver(
            adminApi(),
            database(
                "postgresql://exporter@127.0.0.1:" + closedPort + "/synapse", Optional.empty()));
    h.start();
    SourcePoller<?> db = h.databaseSources().get(0);
    awaitPolled(db);
    await("admin API polled", h::ready);

    String metrics = scrape(h);
    assertThat(metrics)
        .contains("synapse_background_updates_up 1.0")
        .contains(
            "synapse_background_updates_source_up{database=\"master\",source=\"database\"} 0.0")
        .contains(
            "synapse_background_updates_source_errors_total{database=\"master\",reason=\"connect\",source=\"database\"}")
        .contains(
            "synapse_background_update_items_processed{database=\"master\","
                + "update=\"populate_stats_process_rooms\"} 12.0")
        .doesNotContain("synapse_background_updates_pending");
    assertThat(series(metrics, "synapse_background_updates_source_errors_total"))
        .anyMatch(s -> s.contains("reason=\"connect\"") && !s.endsWith(" 0.0"));
    assertThat(metrics)
        .doesNotContainPattern("synapse_background_updates_poll_errors_total\\{[^}]*\\} [1-9]");
  }

  @Test
  void a_failing_source_keeps_its_last_values_until_stale_after_then_drops_them() throws Exception {
    FakeSynapse synapse = adminApi();
    synapse.updaterState("master", "2.0");
    Homeserver h =
        homeserver(
            synapse,
            new SourcesConfig(Optional.of(synapse.metricsUrl()), List.of(), Optional.empty()));
    h.start();
    SourcePoller<?> source = h.metricsSource().orElseThrow();
    await("a good read", () -> source.snapshot().up());

    synapse.answer(Call.METRICS, SynapseAnswers.raw(503, "text/plain", ""));
    await("a failed read", () -> !source.snapshot().up());
    String failing = scrape(h);
    assertThat(failing)
        .contains("synapse_background_updates_source_up{source=\"synapse_metrics\"} 0.0")
        .contains(
            "synapse_background_updates_updater_state{database=\"master\",state=\"running\"} 1.0");

    clock.advance(STALE_AFTER.plusSeconds(1));
    String stale = scrape(h);
    assertThat(stale)
        .contains("synapse_background_updates_source_up{source=\"synapse_metrics\"} 0.0")
        .doesNotContain("synapse_background_updates_updater_state{")
        // the admin API polls on, so its values are fresh
        .contains("synapse_background_updates_up 1.0");
  }

  @Test
  void without_optional_sources_none_of_their_series_appear() throws Exception {
    Homeserver h = homeserver(adminApi(), SourcesConfig.NONE);
    h.start();
    await("admin API polled", h::ready);
    assertThat(h.metricsSource()).isEmpty();
    assertThat(h.databaseSources()).isEmpty();
    assertThat(scrape(h))
        .contains("synapse_background_updates_up 1.0")
        .doesNotContain("source_up")
        .doesNotContain("source_errors")
        .doesNotContain("updater_state")
        .doesNotContain("_pending")
        .doesNotContain("queue_position");
  }

  @Test
  void a_failing_database_is_logged_with_its_source_and_never_its_password() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Path password = dir.resolve("db-password");
    java.nio.file.Files.writeString(password, "pw-never-logged-4711\n");
    try (LogCapture logs = new LogCapture()) {
      Homeserver h =
          homeserver(
              adminApi(),
              database(
                  "postgresql://exporter@127.0.0.1:" + closedPort + "/synapse",
                  Optional.of(PasswordFile.open(password))));
      h.start();
      awaitPolled(h.databaseSources().get(0));
      await("a log line", () -> logs.lines().stream().anyMatch(l -> l.contains("source=database")));
      assertThat(logs.lines())
          .filteredOn(l -> l.contains("source=database"))
          .first()
          .asString()
          .contains("reason=connect")
          .contains("Polling Synapse failed");
      assertThat(logs.all()).doesNotContain("pw-never-logged-4711");
      // The admin API's lines keep their keys: no source key there.
      assertThat(logs.lines()).noneMatch(l -> l.contains("source=admin_api"));
    }
  }

  private Homeserver onRealDatabase(SynapseDatabase db) {
    return homeserver(
        adminApi(), database(db.url(), Optional.of(PasswordFile.open(db.passwordFile()))));
  }

  @Test
  void a_real_index_build_shows_on_metrics_under_the_current_update() throws Exception {
    SynapseDatabase db = TestPostgres.require().createSynapseDatabase(dir);
    db.execute(
        "INSERT INTO background_updates (update_name, progress_json, depends_on, ordering) VALUES"
            + " ('events_test_h_idx', '{}', NULL, 9101)",
        "CREATE TABLE events_test AS SELECT g AS id, md5(g::text) AS h"
            + " FROM generate_series(1, 1000000) g");
    Homeserver h = onRealDatabase(db);
    h.start();
    awaitPolled(h.databaseSources().get(0));
    CompletableFuture<Void> build =
        CompletableFuture.runAsync(
            () -> {
              try (Connection synapse = db.admin();
                  Statement s = synapse.createStatement()) {
                s.execute("SET maintenance_work_mem = '1MB'");
                s.execute("SET max_parallel_maintenance_workers = 0");
                s.execute("CREATE INDEX CONCURRENTLY events_test_h ON events_test (h)");
              } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
              }
            });
    Set<String> seen = new TreeSet<>();
    while (!build.isDone()) {
      seen.addAll(series(scrape(h), "synapse_background_update_index_build_info"));
      Thread.sleep(50);
    }
    build.get();
    assertThat(seen)
        .isNotEmpty()
        .allSatisfy(
            line ->
                assertThat(line)
                    .contains("command=\"CREATE INDEX CONCURRENTLY\"")
                    .contains("index=\"events_test_h\"")
                    .contains("table=\"events_test\"")
                    .contains("update=\"events_test_h_idx\""));
  }

  @Test
  void a_locked_table_fails_the_database_poll_as_timeout_and_the_admin_api_stays_fresh()
      throws Exception {
    SynapseDatabase db = TestPostgres.require().createSynapseDatabase(dir);
    Homeserver h = onRealDatabase(db);
    try (Connection synapse = db.admin();
        Statement s = synapse.createStatement()) {
      synapse.setAutoCommit(false);
      s.execute("LOCK TABLE background_updates IN ACCESS EXCLUSIVE MODE");
      h.start();
      SourcePoller<?> source = h.databaseSources().get(0);
      awaitPolled(source);
      String metrics = scrape(h);
      assertThat(metrics)
          .contains("synapse_background_updates_up 1.0")
          .contains(
              "synapse_background_updates_source_up{database=\"master\",source=\"database\"} 0.0")
          .contains(
              "synapse_background_updates_source_errors_total{database=\"master\","
                  + "reason=\"timeout\",source=\"database\"} 1.0")
          .contains("synapse_background_update_items_processed{database=\"master\"");
      synapse.rollback();
    }
    await("the database readable again", () -> h.databaseSources().get(0).snapshot().up());
  }
}
