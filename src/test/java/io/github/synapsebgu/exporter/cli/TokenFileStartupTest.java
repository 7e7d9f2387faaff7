package io.github.synapsebgu.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A token file of megabytes used to be accepted, then sent as a header of that size: an operator
 * command failed with exit 3 (Synapse unusable) instead of the documented 2 for a bad file.
 */
class TokenFileStartupTest {
  @TempDir Path dir;

  private record Outcome(int code, String err) {}

  private static Outcome run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine(args, Map.of());
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Outcome(code, err.toString());
  }

  private Path eightMegabytes() throws Exception {
    return Files.writeString(dir.resolve("token"), "a".repeat(8 * 1024 * 1024));
  }

  @Test
  void an_8_MB_token_file_is_a_usage_error_for_an_operator_command() throws Exception {
    Path token = eightMegabytes();

    Outcome o = run("status", "--synapse.url=http://127.0.0.1:1", "--synapse.token-file=" + token);

    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err().strip().lines()).hasSize(1);
    assertThat(o.err())
        .contains("--synapse.token-file")
        .contains(token.toString())
        .contains("larger than 4096 bytes")
        .doesNotContain("aaaa")
        .doesNotContain("Exception");
  }

  @Test
  void an_8_MB_token_file_stops_the_daemon_at_startup_with_exit_2() throws Exception {
    Path token = eightMegabytes();

    // Had it been accepted, the daemon would be running now: hence the time limit.
    Outcome o =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () ->
                run(
                    "--synapse.url=http://127.0.0.1:1",
                    "--web.listen-address=127.0.0.1:0",
                    "--synapse.token-file=" + token));

    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err().strip().lines()).hasSize(1);
    assertThat(o.err()).contains(token.toString()).contains("larger than 4096 bytes");
  }
}
