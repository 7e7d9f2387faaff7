package io.github.synapsebgu.exporter.cli.commands;

import static io.github.synapsebgu.exporter.testing.SynapseAnswers.idle;
import static io.github.synapsebgu.exporter.testing.SynapseAnswers.running;
import static io.github.synapsebgu.exporter.testing.SynapseAnswers.unrecognized;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code wait} with the optional sources: Synapse's metrics endpoint ({@link FakeSynapse}) and a
 * real SQLite file written by "Synapse" (another connection) between polls.
 */
class WaitWithSourcesTest {
  @RegisterExtension static final FakeSynapse synapse = FakeSynapse.start();
  private static final String USERS = "populate_user_directory_process_users";

  @TempDir Path dir;

  private final Cli cli = new Cli();
  private Path database;

  @BeforeEach
  void start() throws SQLException {
    database = dir.resolve("homeserver.db");
    execute(
        "PRAGMA journal_mode = WAL",
        "CREATE TABLE background_updates (update_name text NOT NULL, progress_json text NOT NULL,"
            + " depends_on text, ordering INT NOT NULL DEFAULT 0)",
        "CREATE TABLE schema_version (Lock CHAR(1) NOT NULL DEFAULT 'X' UNIQUE,"
            + " version INTEGER NOT NULL, upgraded BOOL NOT NULL)",
        "INSERT INTO schema_version (version, upgraded) VALUES (92, 1)");
  }

  /** What Synapse itself would write, on a connection of its own. */
  private void execute(String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  private Cli.Result waitFor(String... flags) {
    return cli.run(Cli.args("wait", synapse.url(), flags));
  }

  @Test
  void an_aborted_updater_exits_5_at_the_first_poll_and_says_what_to_do() {
    synapse.script(running(USERS, 0, 0.0, null));
    synapse.updaterState("master", "-1.0");

    Cli.Result r =
        waitFor("--progress", "plain", "--synapse.metrics-url", synapse.metricsUrl().toString());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.ABORTED).isEqualTo(5);
    assertThat(synapse.count(Call.STATUS)).isEqualTo(1);
    assertThat(r.err())
        .contains("ABORTED on database master")
        .contains("failing: master: " + USERS)
        .contains("Synapse's log")
        .contains("restart Synapse");
  }

  @Test
  void every_updater_complete_is_done_at_once_without_settling() {
    synapse.script(idle());
    synapse.updaterState("master", "3.0");

    Cli.Result r =
        waitFor("--progress", "plain", "--synapse.metrics-url", synapse.metricsUrl().toString());

    assertThat(r.exitCode()).isZero();
    assertThat(synapse.count(Call.STATUS)).isEqualTo(1);
    assertThat(r.out()).contains("Done: Synapse's updater reports complete on every database");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0", "2.0"}) // not_started, running
  void empty_polls_do_not_settle_while_the_updater_says_it_has_work_left(String state) {
    // The admin API shows nothing (between two updates, or before the updater started) while
    // Synapse's own gauge says not_started or running; it turns complete after the 4th poll.
    synapse.script(idle());
    synapse.updaterState("master", state);
    int[] sleeps = {0};
    cli.sleeper =
        d -> {
          cli.clock.advance(d);
          if (++sleeps[0] == 4) {
            synapse.updaterState("master", "3.0");
          }
        };

    Cli.Result r =
        waitFor("--progress", "plain", "--synapse.metrics-url", synapse.metricsUrl().toString());

    assertThat(r.exitCode()).isZero();
    assertThat(synapse.count(Call.STATUS)).isEqualTo(5); // not settled after the 3rd empty poll
    assertThat(r.out()).contains("Done: Synapse's updater reports complete on every database");
  }

  @Test
  void with_a_database_done_is_the_moment_the_table_is_empty_and_not_before() throws Exception {
    execute(
        "INSERT INTO background_updates (update_name, progress_json, depends_on, ordering) VALUES"
            + " ('populate_user_directory_createtables', '{}', NULL, 0),"
            + " ('populate_user_directory_process_rooms', '{}',"
            + " 'populate_user_directory_createtables', 0)");
    // The admin API shows nothing (the gap between two updates) for four polls: not done while the
    // table holds rows. "Synapse" finishes one update after the 2nd poll, the last after the 5th.
    synapse.script(idle());
    int[] sleeps = {0};
    cli.sleeper =
        d -> {
          cli.clock.advance(d);
          try {
            if (++sleeps[0] == 2) {
              execute(
                  "DELETE FROM background_updates"
                      + " WHERE update_name = 'populate_user_directory_createtables'");
            } else if (sleeps[0] == 5) {
              execute("DELETE FROM background_updates");
            }
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        };

    Cli.Result r = waitFor("--progress", "plain", "--database.url", "sqlite:" + database);

    assertThat(r.exitCode()).isZero();
    assertThat(synapse.count(Call.STATUS)).isEqualTo(6);
    assertThat(r.out())
        .containsSubsequence(
            "[0s] 2 of 2 updates left",
            "[10s] 1 of 2 updates left",
            "[25s] no update left in the background_updates tables",
            "Done: every background_updates table is empty");
    // The tables are the gate: no settling announced on the admin API's {} while rows are left.
    assertThat(r.out())
        .contains("done when every background_updates table is empty")
        .doesNotContain("settling");
  }

  @Test
  void a_source_that_fails_is_said_once_and_the_admin_api_rules_apply() {
    synapse.script(idle());
    synapse.answer(Call.METRICS, unrecognized());

    Cli.Result r =
        waitFor("--progress", "plain", "--synapse.metrics-url", synapse.metricsUrl().toString());

    assertThat(r.exitCode()).isZero();
    assertThat(synapse.count(Call.STATUS)).isEqualTo(3); // settled as without the source
    assertThat(r.out())
        .containsOnlyOnce("cannot read the synapse_metrics source [http_status]")
        .contains("Done: no background update running");
  }

  @Test
  void on_a_terminal_the_live_line_shows_how_many_updates_are_left() throws Exception {
    execute(
        "INSERT INTO background_updates (update_name, progress_json, depends_on, ordering) VALUES"
            + " ('populate_user_directory_createtables', '{}', NULL, 0)");
    synapse.script(running("populate_user_directory_createtables", 0, 0.0, null));
    cli.sleeper =
        d -> {
          cli.clock.advance(d);
          try {
            execute("DELETE FROM background_updates");
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        };

    cli.env.put("COLUMNS", "200");
    Cli.Result r = waitFor("--progress", "tty", "--database.url", "sqlite:" + database);

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("| 1 of 1 left | 0 finished");
  }
}
