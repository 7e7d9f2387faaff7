package io.github.synapsebgu.exporter.cli.commands;

import static io.github.synapsebgu.exporter.testing.SynapseAnswers.running;
import static io.github.synapsebgu.exporter.testing.SynapseAnswers.unrecognized;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code status} with the optional sources: the queue and the updater state, text and JSON. */
class StatusWithSourcesTest {
  @RegisterExtension static final FakeSynapse synapse = FakeSynapse.start();
  private static final String ROOMS = "populate_user_directory_process_rooms";

  @TempDir Path dir;

  private final Cli cli = new Cli();
  private Path database;

  @BeforeEach
  void start() throws Exception {
    synapse.updaterState("master", "-1");
    database = dir.resolve("homeserver.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE background_updates (update_name text NOT NULL, progress_json text NOT"
              + " NULL, depends_on text, ordering INT NOT NULL DEFAULT 0)");
      s.execute("CREATE TABLE schema_version (Lock CHAR(1), version INTEGER, upgraded BOOL)");
      s.execute("INSERT INTO schema_version VALUES ('X', 92, 1)");
      s.execute(
          "INSERT INTO background_updates VALUES"
              + " ('populate_user_directory_createtables', '{}', NULL, 0),"
              + " ('"
              + ROOMS
              + "', '{\"remaining\": 1500}', 'populate_user_directory_createtables', 0),"
              + " ('event_arbitrary_relations', '{}', NULL, 7003)");
    }
    synapse.script(running("populate_user_directory_createtables", 0, 0.0, null));
  }

  private Cli.Result status(String... more) {
    String[] flags = new String[more.length + 4];
    flags[0] = "--synapse.metrics-url";
    flags[1] = synapse.metricsUrl().toString();
    flags[2] = "--database.url";
    flags[3] = "sqlite:" + database;
    System.arraycopy(more, 0, flags, 4, more.length);
    return cli.run(Cli.args("status", synapse.url(), flags));
  }

  @Test
  void the_table_lists_the_queue_under_the_current_update_and_the_updater_state() {
    Cli.Result r = status();

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .containsSubsequence(
            "populate_user_directory_createtables", // the current update, from the admin API
            "Updater state:      master: ABORTED (retried only after a Synapse restart)",
            "Queue of master: 3 updates left, schema version 92",
            "POS  UPDATE",
            "  0  populate_user_directory_createtables",
            "  1  " + ROOMS + "  populate_user_directory_createtables",
            "1,500",
            "  2  event_arbitrary_relations");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void the_schema_column_shows_the_version_an_update_came_with_and_blank_for_a_job_by_hand() {
    Cli.Result r = status();

    List<String> lines = r.out().lines().toList();
    String header = lines.stream().filter(l -> l.startsWith("POS")).findFirst().orElseThrow();
    int schemaEnd = header.indexOf("SCHEMA") + "SCHEMA".length();
    String byHand =
        lines.stream().filter(l -> l.contains("  0  populate_user")).findFirst().orElseThrow();
    String relations =
        lines.stream()
            .filter(l -> l.contains("event_arbitrary_relations"))
            .findFirst()
            .orElseThrow();
    // ordering 7003 is schema version 70; ordering 0 (a job started by hand) has none
    assertThat(relations.substring(0, schemaEnd)).endsWith(" 70");
    assertThat(relations).doesNotContain("7003");
    assertThat(byHand.substring(schemaEnd - "SCHEMA".length(), schemaEnd)).isBlank();
  }

  @Test
  void position_0_is_the_update_the_admin_api_names_as_current_then_synapses_order() {
    // Synapse's ORDER BY would run the two ordering-0 rows first, but it runs this one now.
    synapse.script(running("event_arbitrary_relations", 10, 100.0, 0.1));

    Cli.Result r = status();

    assertThat(r.out())
        .containsSubsequence(
            "POS  UPDATE",
            "  0  event_arbitrary_relations",
            "  1  populate_user_directory_createtables",
            "  2  " + ROOMS);
  }

  @Test
  void json_gains_the_updater_states_and_the_queues() throws Exception {
    Cli.Result r = status("--output", "json");

    assertThat(r.exitCode()).isZero();
    JsonNode root = JsonMapper.builder().build().readTree(r.out());
    assertThat(root.path("current_updates").size()).isEqualTo(1); // the documented fields stay
    assertThat(root.path("updater_states").path("master").asString()).isEqualTo("aborted");
    JsonNode queue = root.path("queues").get(0);
    assertThat(queue.path("database").asString()).isEqualTo("master");
    assertThat(queue.path("pending").asInt()).isEqualTo(3);
    assertThat(queue.path("schema_version").asInt()).isEqualTo(92);
    JsonNode second = queue.path("updates").get(1);
    assertThat(second.path("update").asString()).isEqualTo(ROOMS);
    assertThat(second.path("depends_on").asString())
        .isEqualTo("populate_user_directory_createtables");
    assertThat(second.path("items_remaining").asInt()).isEqualTo(1500);
    assertThat(queue.path("updates").get(2).path("ordering").asInt()).isEqualTo(7003);
    assertThat(queue.path("updates").get(2).path("schema_version").asInt()).isEqualTo(70);
    assertThat(queue.path("updates").get(0).path("schema_version").isNull()).isTrue();
    assertThat(root.has("source_errors")).isFalse();
  }

  @Test
  void a_source_that_cannot_be_read_is_said_on_stderr_and_the_status_still_shown() {
    synapse.answer(Call.METRICS, unrecognized());

    Cli.Result r = status();

    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).contains("cannot read the synapse_metrics source [http_status]");
    assertThat(r.out()).contains("Queue of master: 3 updates left").doesNotContain("Updater state");
  }
}
