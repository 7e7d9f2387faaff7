package io.github.synapsebgu.exporter.cli.commands;

import static io.github.synapsebgu.exporter.testing.SynapseAnswers.badGateway;
import static io.github.synapsebgu.exporter.testing.SynapseAnswers.dropped;
import static io.github.synapsebgu.exporter.testing.SynapseAnswers.idle;
import static io.github.synapsebgu.exporter.testing.SynapseAnswers.paused;
import static io.github.synapsebgu.exporter.testing.SynapseAnswers.pausedIdle;
import static io.github.synapsebgu.exporter.testing.SynapseAnswers.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code wait} against a homeserver at the wire, scripted poll by poll, on a fake clock: every exit
 * path and the settle rule, with the exact time waited and number of polls.
 */
class WaitCommandTest {
  @RegisterExtension static final FakeSynapse synapse = FakeSynapse.start();
  private static final String STATS = "populate_stats_process_rooms";
  private static final String USERS = "populate_user_directory_process_users";

  private final Cli cli = new Cli();

  private Cli.Result waitFor(String... flags) {
    return cli.run(Cli.args("wait", synapse.url(), flags));
  }

  @Test
  void exitsZeroOnceUpdatesFinishedAndThreeEmptyPollsSpanTenSeconds() {
    synapse.script(
        running(STATS, 2, 4.0, 0.5),
        running(STATS, 12, 19.0, 0.6357220412595005),
        running(USERS, 0, 0.0, null),
        idle(),
        idle(),
        idle());

    Cli.Result r = waitFor("--progress", "plain");

    assertThat(r.exitCode()).isZero();
    assertThat(synapse.count(Call.STATUS)).isEqualTo(6);
    assertThat(cli.elapsed()).isEqualTo(Duration.ofSeconds(25));
    assertThat(r.out())
        .containsSubsequence(
            "Waiting for background updates on " + synapse.url(),
            "[0s] master: populate_stats_process_rooms (2 items, 500/s) is running",
            "[10s] master: populate_stats_process_rooms finished",
            "[10s] master: populate_user_directory_process_users started",
            "[15s] master: populate_user_directory_process_users finished",
            "[15s] no update running; settling (3 polls over at least 10s)",
            "Done: no background update running for 3 polls over 10s; 2 updates finished while"
                + " waiting 25s.")
        .doesNotContain("\r");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void aShortGapBetweenUpdatesDoesNotCountAsDone() {
    synapse.script(idle(), idle(), running(STATS, 0, 0.0, null), idle(), idle(), idle());

    Cli.Result r = waitFor("--progress", "plain");

    assertThat(r.exitCode()).isZero();
    assertThat(synapse.count(Call.STATUS)).isEqualTo(6);
    assertThat(r.out())
        .containsSubsequence(
            "[0s] no update running; settling",
            "[10s] master: populate_stats_process_rooms started",
            "[15s] master: populate_stats_process_rooms finished",
            "[15s] no update running; settling",
            "Done:");
  }

  @Test
  void settlingNeedsTheMinimumTimeEvenWhenTheCountIsReached() {
    synapse.script(idle());

    Cli.Result r = waitFor("--progress", "plain", "--poll-interval", "1s");

    assertThat(r.exitCode()).isZero();
    // 3 polls would take 2s; the 10s minimum needs polls at 0,1,...,10 s.
    assertThat(synapse.count(Call.STATUS)).isEqualTo(11);
    assertThat(cli.elapsed()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void settleFlagsChangeTheRule() {
    synapse.script(idle());

    Cli.Result r = waitFor("--progress", "plain", "--settle-polls", "1", "--settle", "0s");

    assertThat(r.exitCode()).isZero();
    assertThat(synapse.count(Call.STATUS)).isEqualTo(1);
    assertThat(r.out()).contains("Done: no background update running for 1 poll over 0s");
  }

  @Test
  void aFailedPollInTheMiddleStartsSettlingAgain() {
    synapse.script(idle(), idle(), badGateway(), idle(), idle(), idle());

    Cli.Result r = waitFor("--progress", "plain");

    assertThat(r.exitCode()).isZero();
    assertThat(synapse.count(Call.STATUS)).isEqualTo(6);
    assertThat(r.out())
        .containsSubsequence(
            "[10s] cannot read Synapse [server_error]: HTTP 502",
            "502 Bad Gateway",
            "retrying for up to 2m",
            "[15s] Synapse readable again after 5s",
            "[15s] no update running; settling",
            "Done:");
  }

  @Test
  void timeoutExitsOneWithWhatIsStillRunning() {
    synapse.script(running(STATS, 40, 80.0, 0.5));

    Cli.Result r = waitFor("--progress", "plain", "--timeout", "12s");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(synapse.count(Call.STATUS)).isEqualTo(3); // at 0, 5 and 10 s
    assertThat(cli.elapsed()).isEqualTo(Duration.ofSeconds(12)); // the last sleep is cut short
    assertThat(r.err())
        .isEqualTo(
            "synapse-bgu-exporter wait: timeout: still not done after 12s (--timeout 12s); still"
                + " running: master: populate_stats_process_rooms (40 items, 500/s); 0 updates"
                + " finished.\n");
  }

  @Test
  void unreachableLongerThanAllowedExitsThree() {
    synapse.script(running(STATS, 1, 1.0, 1.0), dropped());

    Cli.Result r = waitFor("--progress", "plain", "--max-unreachable", "20s");

    assertThat(r.exitCode()).isEqualTo(3);
    // first failure at 5s, given up at the poll 20s later
    assertThat(cli.elapsed()).isEqualTo(Duration.ofSeconds(25));
    assertThat(synapse.count(Call.STATUS)).isEqualTo(6);
    assertThat(r.out()).contains("[5s] cannot read Synapse [connect]");
    assertThat(r.err())
        .startsWith("synapse-bgu-exporter wait: giving up: cannot read Synapse for 20s [connect]")
        .doesNotContain("check"); // it answered before: a restart or outage, not the setup
  }

  @Test
  void synapseComingBackWithinTheAllowanceKeepsWaiting() {
    synapse.script(
        running(STATS, 1, 1.0, 1.0),
        dropped(),
        badGateway(),
        dropped(),
        running(STATS, 0, 0.0, null),
        idle(),
        idle(),
        idle());

    Cli.Result r = waitFor("--progress", "plain", "--max-unreachable", "15s");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .containsSubsequence(
            "[5s] cannot read Synapse [connect]",
            "[10s] cannot read Synapse [server_error]",
            "[15s] cannot read Synapse [connect]",
            "[20s] Synapse readable again after 15s",
            "[25s] master: populate_stats_process_rooms finished",
            "Done:");
  }

  @Test
  void maxUnreachableZeroGivesUpAtTheFirstFailure() {
    synapse.script(badGateway());

    Cli.Result r = waitFor("--progress", "plain", "--max-unreachable", "0");

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(synapse.count(Call.STATUS)).isEqualTo(1);
    assertThat(r.err()).endsWith("; check --synapse.url and that Synapse is running\n");
  }

  @Test
  void aWrongPathAtTheFirstPollExitsThreeAtOncePointingAtTheUrl() {
    Cli.Result r = cli.run(Cli.args("wait", synapse.url() + "/not-synapse", "--progress", "plain"));

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(cli.elapsed()).isZero();
    assertThat(r.err()).contains("check --synapse.url: the main process's base URL");
  }

  @Test
  void aRejectedTokenAtTheFirstPollExitsThreeAtOnceWithoutShowingTheToken() {
    cli.env.put("SYNAPSE_ADMIN_TOKEN", "syt_wrong_token_value");
    synapse.script(idle());

    Cli.Result r = waitFor("--progress", "plain");

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(cli.elapsed()).isZero();
    assertThat(r.err())
        .contains("[unauthorized]")
        .contains("M_UNKNOWN_TOKEN: Invalid access token passed.")
        .contains("check the admin token (--synapse.token-file or SYNAPSE_ADMIN_TOKEN)");
    assertThat(r.all()).doesNotContain("syt_wrong_token_value", FakeSynapse.TOKEN);
  }

  @Test
  void pausedUpdatesExitFourWithAHint() {
    synapse.script(paused("room_membership_user_room_index", 0, 0.0, null));

    Cli.Result r = waitFor("--progress", "plain");

    assertThat(r.exitCode()).isEqualTo(4);
    assertThat(synapse.count(Call.STATUS)).isEqualTo(1);
    assertThat(r.out()).contains("[0s] background updates are PAUSED (enabled: false)");
    assertThat(r.err())
        .contains("paused on Synapse (enabled: false), so waiting would never end")
        .contains("pending: master: room_membership_user_room_index (0 items)")
        .contains("--allow-paused");
  }

  @Test
  void allowPausedWaitsThroughThePauseAndEmptyPausedPollsDoNotSettle() {
    synapse.script(
        paused(STATS, 5, 10.0, 0.5),
        pausedIdle(),
        pausedIdle(),
        pausedIdle(),
        running(STATS, 6, 12.0, 0.5),
        idle(),
        idle(),
        idle());

    Cli.Result r = waitFor("--progress", "plain", "--allow-paused");

    assertThat(r.exitCode()).isZero();
    assertThat(synapse.count(Call.STATUS)).isEqualTo(8);
    assertThat(r.out())
        .containsSubsequence(
            "[0s] background updates are PAUSED (enabled: false); waiting for a resume"
                + " (--allow-paused)",
            "[20s] background updates resumed",
            "[25s] no update running; settling",
            "Done:");
  }

  @Test
  void anUpdateThatComesBackAfterARestartIsNotCountedAsFinished() {
    synapse.script(
        running(STATS, 100, 100.0, 1.0),
        dropped(),
        idle(),
        running(STATS, 3, 3.0, 1.0),
        idle(),
        idle(),
        idle());

    Cli.Result r = waitFor("--progress", "plain");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("1 update finished while waiting");
  }

  @Test
  void onATerminalOneLiveLineIsRedrawnInPlace() {
    cli.env.put("COLUMNS", "200");
    synapse.script(
        running(STATS, 2, 4.0, 0.5), running(STATS, 1234, 900.0, 1.5), idle(), idle(), idle());

    Cli.Result r = waitFor("--progress", "tty");

    assertThat(r.exitCode()).isZero();
    String progressed =
        "[5s] master: populate_stats_process_rooms (1,234 items, 1,500/s) | 0 finished";
    assertThat(r.out())
        .containsSubsequence(
            "[0s] master: populate_stats_process_rooms (2 items, 500/s) is running\n",
            "\r[0s] master: populate_stats_process_rooms (2 items, 500/s) | 0 finished",
            "\r" + progressed,
            // a permanent line replaces the live line, blanking what is left of it
            "\r[10s] master: populate_stats_process_rooms finished",
            "\n[10s] no update running; settling (3 polls over at least 10s)\n",
            "\r[10s] no update running, settling 1/3 polls, 0s/10s | 1 finished",
            "\r[15s] no update running, settling 2/3 polls, 5s/10s | 1 finished",
            "\rDone: no background update running for 3 polls over 10s; 1 update finished");
    // Each redraw covers the longer line before it, so no leftovers show.
    String finishedLine = "[10s] master: populate_stats_process_rooms finished";
    assertThat(r.out())
        .contains(
            "\r" + finishedLine + " ".repeat(progressed.length() - finishedLine.length()) + "\n");
    assertThat(r.out()).endsWith("waiting 20s.\n");
  }

  @Test
  void theLiveLineIsCutToTheTerminalWidth() {
    cli.env.put("COLUMNS", "40");
    synapse.script(running(STATS, 2, 4.0, 0.5), idle(), idle(), idle());

    Cli.Result r = waitFor("--progress", "tty", "--timeout", "1h");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("\r[0s of 1h] master: populate_stats_pr...\r");
  }

  @Test
  void autoProgressUsesTheLiveLineOnlyOnADumbFreeTerminal() {
    synapse.script(idle());

    cli.console = false;
    assertThat(waitFor().out()).doesNotContain("\r");

    cli.console = true;
    assertThat(waitFor().out()).contains("\r[0s] no update running, settling 1/3 polls");

    cli.env.put("TERM", "dumb");
    assertThat(waitFor().out()).doesNotContain("\r");
  }

  @Test
  void ctrlCPrintsWhereWaitingStoodAndExits130() throws Exception {
    synapse.script(running(STATS, 7, 14.0, 0.5));
    CountDownLatch firstSleep = new CountDownLatch(1);
    cli.sleeper =
        d -> {
          firstSleep.countDown();
          Thread.sleep(60_000); // until the hook interrupts us
        };
    FutureTask<Cli.Result> result = new FutureTask<>(() -> waitFor("--progress", "plain"));
    new Thread(result, "wait-under-test").start();
    assertThat(firstSleep.await(10, TimeUnit.SECONDS)).isTrue();
    cli.clock.advance(Duration.ofSeconds(3));

    assertThat(cli.hooks).hasSize(1);
    cli.hooks.get(0).run(); // what the JVM does on SIGINT

    Cli.Result r = result.get(10, TimeUnit.SECONDS);
    assertThat(r.exitCode()).isEqualTo(130);
    assertThat(r.err())
        .isEqualTo(
            "synapse-bgu-exporter wait: interrupted after 3s; still running: master:"
                + " populate_stats_process_rooms (7 items, 500/s); 0 updates finished.\n");
    assertThat(cli.removedHooks).containsExactlyElementsOf(cli.hooks);
  }

  @Test
  void theCtrlCHookIsRemovedWhenWaitingEndsNormally() {
    synapse.script(idle());

    Cli.Result r = waitFor("--settle-polls", "1", "--settle", "0s");

    assertThat(r.exitCode()).isZero();
    assertThat(cli.hooks).hasSize(1);
    assertThat(cli.removedHooks).containsExactlyElementsOf(cli.hooks);
    cli.hooks.get(0).run(); // a late signal must not print a second summary
    assertThat(cli.lastErr.toString()).isEmpty();
    assertThat(cli.lastOut.toString()).isEqualTo(r.out());
  }

  @Test
  void withTheRealClockAndSleepItPollsOnceASecond() {
    synapse.script(idle());
    cli.commandClock = java.time.Clock.systemUTC();
    cli.sleeper = CliContext.system(cli.env).sleeper();
    long started = System.nanoTime();

    Cli.Result r =
        waitFor(
            "--poll-interval", "1s", "--settle-polls", "2", "--settle", "1s", "--timeout", "1m");

    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(r.exitCode()).isZero();
    assertThat(synapse.count(Call.STATUS)).isEqualTo(2);
    assertThat(took).isBetween(Duration.ofMillis(950), Duration.ofSeconds(10));
  }

  @Test
  void badFlagValuesExitTwoBeforeAnyRequest() {
    synapse.script(idle());

    assertThat(waitFor("--poll-interval", "500ms").err())
        .isEqualTo(
            "synapse-bgu-exporter wait: --poll-interval: \"500ms\" is too short (minimum 1s)\n");
    assertThat(waitFor("--settle-polls", "0").exitCode()).isEqualTo(2);
    assertThat(waitFor("--timeout", "soon").exitCode()).isEqualTo(2);
    assertThat(waitFor("--progress", "fancy").err())
        .contains("--progress: invalid value \"fancy\" (one of auto, tty, plain)");
    assertThat(waitFor("--allow-paused=maybe").exitCode()).isEqualTo(2);
    assertThat(waitFor("--poll.interval", "5s").exitCode()).isEqualTo(2);
    assertThat(synapse.requestCount()).isZero();
  }
}
