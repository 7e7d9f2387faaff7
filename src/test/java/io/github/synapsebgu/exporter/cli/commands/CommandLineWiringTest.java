package io.github.synapsebgu.exporter.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The operator commands as the jar exposes them: help, exit codes, the daemon staying default. */
class CommandLineWiringTest {
  private final Cli cli = new Cli();

  @Test
  void topLevelHelpListsTheCommandsAndEveryExitCode() {
    Cli.Result r = cli.run("--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("synapse-bgu-exporter [OPTIONS]", "synapse-bgu-exporter COMMAND [OPTIONS]")
        .containsSubsequence("Commands", "status", "wait", "pause", "resume", "start-job", "serve")
        .containsSubsequence("Exit codes:", "0 ", "1 ", "2 ", "3 ", "4 ", "130 ")
        // the daemon's own flags stay on the top command
        .contains("--web.listen-address", "--poll.interval");
  }

  @Test
  void eachCommandDocumentsItsExitCodes() {
    assertThat(cli.run("wait", "--help").out())
        .containsSubsequence(
            "--timeout",
            "--poll-interval",
            "--settle",
            "--settle-polls",
            "--max-unreachable",
            "--allow-paused",
            "--progress",
            "Exit codes:",
            "0 ",
            "1 ",
            "2 ",
            "3 ",
            "4 ",
            "130 ");
    assertThat(cli.run("status", "--help").out()).contains("--output", "Exit codes:", "3 ");
    assertThat(cli.run("pause", "--help").out()).contains("--for", "/api/v1/enabled");
    assertThat(cli.run("start-job", "--help").out())
        .contains("populate_stats_process_rooms", "regenerate_directory", "event_resign");
    assertThat(cli.run("resume", "--help").exitCode()).isZero();
  }

  @Test
  void serveIsTheDaemonUnderItsOwnNameWithTheSameFlagsAndChecks() {
    assertThat(cli.run("serve", "--help").out())
        .contains("--web.listen-address", "--poll.interval", "--demo");

    Cli.Result badFlag = cli.run("serve", "--poll.interval", "10x");
    assertThat(badFlag.exitCode()).isEqualTo(2);
    assertThat(badFlag.err()).startsWith("synapse-bgu-exporter serve: --poll.interval: ");

    Cli.Result noUrl = cli.run("serve");
    assertThat(noUrl.exitCode()).isEqualTo(2);
    assertThat(noUrl.err()).contains("--synapse.url: required");
  }

  @Test
  void theDaemonStaysTheDefaultAction() {
    Cli.Result r = cli.run("--synapse.url", "ftp://example.org");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "synapse-bgu-exporter: --synapse.url: URL must start with http:// or https://, e.g."
                + " http://localhost:8008\n");
  }

  @Test
  void flagsBeforeTheCommandNameAreRejectedWithTheRightOrder() {
    Cli.Result r = cli.run("--synapse.url", "http://localhost:8008", "wait");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "synapse-bgu-exporter wait: --synapse.url: flags must follow the command name, e.g."
                + " synapse-bgu-exporter wait --synapse.url http://localhost:8008\n");
  }

  @Test
  void anUnknownCommandOrFlagIsAOneLineUsageError() {
    Cli.Result typo = cli.run("stauts");
    assertThat(typo.exitCode()).isEqualTo(2);
    assertThat(typo.err()).startsWith("synapse-bgu-exporter").hasLineCount(1);

    Cli.Result flag = cli.run("wait", "--nope");
    assertThat(flag.exitCode()).isEqualTo(2);
    assertThat(flag.err()).startsWith("synapse-bgu-exporter").contains("--nope").hasLineCount(1);
  }
}
