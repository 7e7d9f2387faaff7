package io.github.synapsebgu.exporter.demo;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.cli.Daemon;
import io.github.synapsebgu.exporter.homeserver.Homeserver;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import io.github.synapsebgu.exporter.synapse.SynapseHttpSettings;
import io.github.synapsebgu.exporter.testing.Configs;
import io.github.synapsebgu.exporter.testing.LogCapture;
import io.github.synapsebgu.exporter.testing.Promtool;
import io.github.synapsebgu.exporter.testing.Wire;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --demo} runs the real client against the simulated homeserver and says plainly that it is
 * simulated.
 */
class DemoModeTest {
  @Test
  void servesSimulatedUpdatesThroughTheRealClientAndSaysSo() throws Exception {
    try (LogCapture logs = new LogCapture();
        Daemon daemon =
            Daemon.start(
                Configs.of(
                    Map.of(), "--demo", "--web.listen-address=127.0.0.1:0", "--poll.interval=1h"),
                Clock.systemUTC(),
                BuildInfo.load())) {
      daemon.poller().pollNow().get(10, TimeUnit.SECONDS);
      Homeserver demo = daemon.homeserver();
      awaitFirstPolls(demo);
      String metrics =
          Wire.get(URI.create("http://127.0.0.1:" + daemon.address().getPort() + "/metrics"))
              .body();
      assertThat(metrics)
          .contains("synapse_background_updates_up 1.0")
          .contains("synapse_background_updates_in_progress 2.0")
          .contains("database=\"master\"")
          .contains("database=\"state\"");
      // The optional sources, through the real readers: Synapse's metrics endpoint and the
      // demo's SQLite files, every database's queue and the simulated index build.
      assertThat(metrics)
          .contains("synapse_background_updates_source_up{source=\"synapse_metrics\"} 1.0")
          .contains(
              "synapse_background_updates_source_up{database=\"master\",source=\"database\"} 1.0")
          .contains(
              "synapse_background_updates_source_up{database=\"state\",source=\"database\"} 1.0")
          .contains(
              "synapse_background_updates_updater_state{database=\"master\",state=\"running\"} 1.0")
          .contains("synapse_background_updates_pending{database=\"master\"} 2.0")
          .contains("synapse_background_updates_schema_version{database=\"state\"} 92.0")
          .contains(
              "synapse_background_update_queue_position{database=\"master\","
                  + "update=\"populate_user_directory_process_users\"} 0.0")
          .contains(
              "synapse_background_update_queue_position{database=\"master\","
                  + "update=\"populate_user_directory_cleanup\"} 1.0")
          .contains(
              "depends_on=\"populate_user_directory_process_users\",ordering=\"9201\","
                  + "update=\"populate_user_directory_cleanup\"} 1")
          .containsPattern(
              "synapse_background_update_items_remaining\\{database=\"master\","
                  + "update=\"populate_user_directory_process_users\"\\} [1-9]")
          .containsPattern(
              "synapse_background_update_estimated_remaining_seconds\\{database=\"master\","
                  + "update=\"populate_user_directory_process_users\"\\} [1-9]")
          .containsPattern(
              "synapse_background_update_index_build_blocks_done\\{database=\"state\","
                  + "index=\"state_groups_room_id_idx\",update=\"state_groups_room_id_idx\"\\} [1-9]");
      assertThat(logs.all()).contains("DEMO MODE").contains("simulated");
      Promtool.Result check = Promtool.checkMetrics(metrics);
      assertThat(check.output()).isEmpty();
      assertThat(check.exitCode()).isZero();
    }
  }

  private static void awaitFirstPolls(Homeserver h) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline
        && !(h.metricsSource().orElseThrow().snapshot().up()
            && h.databaseSources().stream().allMatch(p -> p.snapshot().up()))) {
      Thread.sleep(20);
    }
  }

  @Test
  void answersPauseResumeAndJobsLikeSynapse() throws Exception {
    try (DemoHomeserver demo = DemoHomeserver.start();
        SynapseClient client =
            new SynapseClient(
                new SynapseHttpSettings(
                    demo.url(), Duration.ofSeconds(10), Optional.empty(), false),
                TokenSource.fixed(demo.token(), "demo"),
                "test")) {
      assertThat(client.fetchStatus().enabled()).isTrue();
      assertThat(new String(client.post("enabled", "{\"enabled\":false}".getBytes(UTF_8)), UTF_8))
          .isEqualTo("{\"enabled\":false}");
      assertThat(client.fetchStatus().enabled()).isFalse();
      client.post("enabled", "{}".getBytes(UTF_8)); // a missing field means true, as in Synapse
      assertThat(client.fetchStatus().enabled()).isTrue();
      assertThat(
              client.post("start_job", "{\"job_name\":\"regenerate_directory\"}".getBytes(UTF_8)))
          .asString(UTF_8)
          .isEqualTo("{}");
      assertThatThrownBy(() -> client.post("start_job", "{\"job_name\":\"nope\"}".getBytes(UTF_8)))
          .isInstanceOfSatisfying(
              SynapseException.class,
              e -> {
                assertThat(e.httpStatus()).isEqualTo(400);
                assertThat(e.error()).hasValue("Invalid job_name");
              });
    }
  }
}
