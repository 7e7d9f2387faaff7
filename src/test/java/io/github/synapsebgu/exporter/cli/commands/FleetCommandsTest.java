package io.github.synapsebgu.exporter.cli.commands;

import static io.github.synapsebgu.exporter.testing.SynapseAnswers.idle;
import static io.github.synapsebgu.exporter.testing.SynapseAnswers.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.Wire;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status} and {@code wait} with {@code --config.file}: a fleet of fake homeservers. */
class FleetCommandsTest {
  private static final String STATS = "populate_stats_process_rooms";
  @TempDir Path dir;
  private FakeSynapse alpha;
  private FakeSynapse beta;
  private final Cli cli = new Cli();
  private Path file;

  @BeforeEach
  void setUp() throws Exception {
    alpha = FakeSynapse.start();
    beta = FakeSynapse.start();
    cli.env.remove("SYNAPSE_ADMIN_TOKEN");
    Path token = dir.resolve("token");
    Files.writeString(token, FakeSynapse.TOKEN + "\n");
    file = dir.resolve("fleet.yaml");
    Files.writeString(
        file,
        "homeservers:\n  alpha:\n    url: "
            + alpha.url()
            + "\n    token_file: "
            + token
            + "\n  beta:\n    url: "
            + beta.url()
            + "\n    token_file: "
            + token
            + "\n");
  }

  @AfterEach
  void tearDown() {
    alpha.close();
    beta.close();
  }

  @Test
  void status_prints_one_row_per_homeserver_and_exits_3_if_one_cannot_be_read() throws Exception {
    alpha.script(running(STATS, 12, 19.0, 0.6));
    beta.stop();
    Cli.Result r = cli.run("status", "--config.file", file.toString());
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.out())
        .startsWith("HOMESERVER  STATE    RUNNING\n")
        .contains("alpha       enabled  master: populate_stats_process_rooms (12 items)\n")
        .contains("beta        error    cannot use Synapse's admin API at " + beta.url());
    assertThat(r.err()).contains("beta: cannot use Synapse's admin API");
    assertThat(r.all()).doesNotContain(FakeSynapse.TOKEN);
  }

  @Test
  void status_json_lists_each_homeserver_with_its_name() {
    alpha.script(running(STATS, 12, 19.0, 0.6));
    beta.script(idle());
    Cli.Result r = cli.run("status", "--config.file", file.toString(), "--output", "json");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .startsWith("{\"homeservers\":[{\"name\":\"alpha\",\"synapse_url\":\"" + alpha.url())
        .contains("\"update\":\"populate_stats_process_rooms\"")
        .contains("{\"name\":\"beta\",\"synapse_url\":\"" + beta.url());
  }

  @Test
  void status_with_a_target_is_the_single_homeserver_status() {
    beta.script(running(STATS, 7, 3.0, 2.0));
    Cli.Result r = cli.run("status", "--config.file", file.toString(), "--target", "beta");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains(beta.url().toString()).contains(STATS);
    assertThat(cli.run("status", "--config.file", file.toString(), "--target", "nope").err())
        .contains("--target: no homeserver named nope in --config.file");
  }

  @Test
  void wait_all_waits_until_every_homeserver_is_done_saying_which_are_left() {
    alpha.script(idle(), idle(), idle());
    beta.script(running(STATS, 2, 4.0, 0.5), running(STATS, 12, 19.0, 0.6), idle(), idle(), idle());
    Cli.Result r = cli.run("wait", "--config.file", file.toString(), "--all");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out())
        .containsSubsequence(
            "Waiting for 2 homeservers",
            "[10s] alpha: done",
            "[10s] 1 of 2 done; left: beta",
            "[20s] beta: done",
            "[20s] 2 of 2 done");
  }

  @Test
  void wait_all_exits_with_the_worst_outcome() throws Exception {
    alpha.script(idle(), idle(), idle());
    Files.writeString(
        file,
        Files.readString(file)
            .replace(beta.url().toString(), "http://127.0.0.1:" + Wire.closedPort()));
    Cli.Result r =
        cli.run("wait", "--config.file", file.toString(), "--all", "--max-unreachable", "0");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(3);
    assertThat(r.out()).contains("beta: unreachable (exit 3)").contains("alpha: done");
  }

  @Test
  void wait_with_a_config_file_needs_all_or_a_target() {
    Cli.Result r = cli.run("wait", "--config.file", file.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--target NAME (one homeserver) or --all (every homeserver)");
    beta.script(idle(), idle(), idle());
    assertThat(cli.run("wait", "--config.file", file.toString(), "--target", "beta").exitCode())
        .isZero();
  }
}
