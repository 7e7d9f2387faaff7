package io.github.synapsebgu.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * What an operator sees for a bad command line: one line naming the problem, exit 2, no stack
 * trace.
 */
class MainTest {
  private record Outcome(int code, String out, String err) {}

  /** As main() runs: a plain start through PlainStart, anything else through the full line. */
  private static Outcome run(Map<String, String> env, String... args) {
    return run(Main.commandLine(args, env), args);
  }

  /** Always through the full command line, with every command. */
  private static Outcome runFull(Map<String, String> env, String... args) {
    return run(Main.commandLine(new Main(), env), args);
  }

  private static Outcome run(CommandLine cli, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--no-such-flag",
        "--poll.interval=fast",
        "--synapse.url=gopher://x",
        "--web.listen-address=nope",
        "--log.level=loud",
      })
  void rejectsBadInputWithOneLineAndExitCodeTwo(String arg) {
    Outcome o = run(Map.of("SYNAPSE_ADMIN_TOKEN", "t"), "--synapse.url=http://localhost:1", arg);
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err().strip().lines()).hasSize(1);
    assertThat(o.err())
        .startsWith("synapse-bgu-exporter: ")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--no-such-flag",
        "--poll.interval=fast",
        "--web.listen-address=nope",
        "--synapse.token=abc",
        "stauts",
      })
  void aPlainStartWordsEveryProblemAsTheFullCommandLineDoes(String arg) {
    Map<String, String> env = Map.of("SYNAPSE_ADMIN_TOKEN", "t");
    String[] args = {"--synapse.url=http://localhost:1", arg};
    assertThat(PlainStart.applies(args)).isTrue();
    assertThat(run(env, args)).isEqualTo(runFull(env, args));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--synapse.token-file=status",
        "--synapse.token-file -hidden",
        "--demo -hV",
        "--web.telemetry-path --help=x",
        "--web.telemetry-path -Vmetrics",
      })
  void argumentsTheFullCommandLineReadsAsOptionsOrCommandsGetItsAnswer(String line) {
    Map<String, String> env = Map.of("SYNAPSE_ADMIN_TOKEN", "t");
    String[] args = ("--synapse.url=http://localhost:1 " + line).split(" ");
    assertThat(run(env, args)).isEqualTo(runFull(env, args));
  }

  @Test
  void everyCommandAndStandardOptionGoesToTheFullCommandLine() {
    CommandLine full = Main.commandLine(new Main(), Map.of());
    for (String command : full.getSubcommands().keySet()) {
      assertThat(PlainStart.applies(new String[] {"--log.level=debug", command}))
          .as(command)
          .isFalse();
    }
    for (String option : full.getCommandSpec().optionsMap().keySet()) {
      if (full.getCommandSpec().findOption(option).usageHelp()
          || full.getCommandSpec().findOption(option).versionHelp()) {
        assertThat(PlainStart.applies(new String[] {option})).as(option).isFalse();
      }
    }
    assertThat(PlainStart.applies(new String[] {"@flags.txt"})).isFalse();
    // Values the full command line reads as a command or an option, not as a value.
    assertThat(PlainStart.applies(new String[] {"--synapse.token-file=status"})).isFalse();
    assertThat(PlainStart.applies(new String[] {"--synapse.token-file", "-hidden"})).isFalse();
    assertThat(PlainStart.applies(new String[] {"--demo", "-hV"})).isFalse();
    assertThat(PlainStart.applies(new String[] {"--web.telemetry-path", "--help=x"})).isFalse();
    assertThat(PlainStart.applies(new String[] {"--synapse.url=http://x", "--poll.interval=5s"}))
        .isTrue();
  }

  @Test
  void namesTheMissingUrl() {
    Outcome o = run(Map.of());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("--synapse.url: required");
  }

  @Test
  void neverAcceptsTheTokenAsAFlag() {
    Outcome o = run(Map.of(), "--synapse.url=http://localhost:1", "--synapse.token=abc");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("unknown option --synapse.token").doesNotContain("abc");
    Outcome spaced = run(Map.of(), "--synapse.url=http://localhost:1", "--synapse.token", "abc");
    assertThat(spaced.code()).isEqualTo(2);
    assertThat(spaced.err()).doesNotContain("abc");
  }

  @Test
  void listsEveryFlagAndTheExitCodesInHelp() {
    Outcome o = run(Map.of(), "--help");
    assertThat(o.code()).isZero();
    for (String flag :
        new String[] {
          "--synapse.url",
          "--synapse.token-file",
          "--synapse.timeout",
          "--synapse.tls.ca-file",
          "--synapse.tls.insecure-skip-verify",
          "--poll.interval",
          "--poll.stale-after",
          "--web.listen-address",
          "--web.telemetry-path",
          "--web.disable-exporter-metrics",
          "--log.level",
          "--log.format",
          "--demo",
          "--version",
          "SYNAPSE_ADMIN_TOKEN",
          "Exit codes"
        }) {
      assertThat(o.out()).contains(flag);
    }
  }

  @Test
  void printsTheVersion() {
    Outcome o = run(Map.of(), "--version");
    assertThat(o.code()).isZero();
    assertThat(o.out()).startsWith("synapse-bgu-exporter ");
  }

  @Test
  void reportsABusyListenAddressAsOneLineWithExitCodeOne() throws Exception {
    try (java.net.ServerSocket busy =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Outcome o = run(Map.of(), "--demo", "--web.listen-address=127.0.0.1:" + busy.getLocalPort());
      assertThat(o.code()).isEqualTo(1);
      assertThat(o.err())
          .contains("--web.listen-address: cannot listen on 127.0.0.1:" + busy.getLocalPort());
      assertThat(o.err().strip().lines()).hasSize(1);
    }
  }
}
