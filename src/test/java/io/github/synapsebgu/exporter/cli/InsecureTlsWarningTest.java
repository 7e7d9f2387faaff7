package io.github.synapsebgu.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.config.SynapseConfig;
import io.github.synapsebgu.exporter.testing.Configs;
import io.github.synapsebgu.exporter.testing.LogCapture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Turning certificate checks off is said once, in the same words, by the daemon and the commands.
 */
class InsecureTlsWarningTest {
  // Nothing listens on port 1: the warning comes before any request, which then fails at once.
  private static final String NOWHERE = "--synapse.url=http://127.0.0.1:1";
  private static final Map<String, String> ENV = Map.of("SYNAPSE_ADMIN_TOKEN", "t");

  @Test
  void the_daemon_logs_the_warning_at_start() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      Daemon daemon =
          Daemon.start(
              Configs.of(
                  ENV,
                  NOWHERE,
                  "--synapse.tls.insecure-skip-verify",
                  "--web.listen-address=127.0.0.1:0",
                  "--poll.interval=1h"),
              Clock.systemUTC(),
              BuildInfo.load());
      daemon.close();
      assertThat(logs.lines())
          .anySatisfy(line -> assertThat(line).contains(SynapseConfig.INSECURE_TLS_WARNING));
    }
  }

  @Test
  void an_operator_command_prints_the_same_warning_on_stderr() {
    String[] args = {"status", NOWHERE, "--synapse.tls.insecure-skip-verify"};
    CommandLine cli = Main.commandLine(args, ENV);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));

    int code = cli.execute(args);

    assertThat(code).isEqualTo(3);
    assertThat(err.toString()).startsWith("warning: " + SynapseConfig.INSECURE_TLS_WARNING + "\n");
    assertThat(out.toString()).isEmpty();
  }
}
