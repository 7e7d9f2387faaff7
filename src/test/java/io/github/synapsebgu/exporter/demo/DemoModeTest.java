package io.github.synapsebgu.exporter.demo;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.cli.Daemon;
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
      String metrics =
          Wire.get(URI.create("http://127.0.0.1:" + daemon.address().getPort() + "/metrics"))
              .body();
      assertThat(metrics)
          .contains("synapse_background_updates_up 1.0")
          .contains("synapse_background_updates_in_progress 2.0")
          .contains("database=\"master\"")
          .contains("database=\"state\"");
      assertThat(logs.all()).contains("DEMO MODE").contains("simulated");
      Promtool.Result check = Promtool.checkMetrics(metrics);
      assertThat(check.output()).isEmpty();
      assertThat(check.exitCode()).isZero();
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
