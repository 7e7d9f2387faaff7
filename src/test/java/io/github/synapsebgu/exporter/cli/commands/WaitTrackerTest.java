package io.github.synapsebgu.exporter.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.cli.commands.WaitTracker.Outcome;
import io.github.synapsebgu.exporter.synapse.CurrentUpdate;
import io.github.synapsebgu.exporter.synapse.FailureReason;
import io.github.synapsebgu.exporter.synapse.StatusResponse;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The rules of {@code wait}, fed poll results at chosen times: no I/O, no real clock. */
class WaitTrackerTest {
  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  private static final StatusResponse IDLE = new StatusResponse(true, Map.of());

  private static WaitSettings settings(Optional<Duration> timeout, boolean allowPaused) {
    return new WaitSettings(
        Duration.ofSeconds(5),
        3,
        Duration.ofSeconds(10),
        timeout,
        Duration.ofMinutes(2),
        allowPaused);
  }

  private final WaitTracker tracker = new WaitTracker(settings(Optional.empty(), false), T0);

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  private static StatusResponse running(boolean enabled, String... dbAndName) {
    Map<String, CurrentUpdate> updates = new java.util.TreeMap<>();
    for (int i = 0; i < dbAndName.length; i += 2) {
      updates.put(
          dbAndName[i], new CurrentUpdate(dbAndName[i + 1], 1, 1.0, OptionalDouble.empty()));
    }
    return new StatusResponse(enabled, updates);
  }

  private static SynapseException failure(FailureReason reason) {
    return new SynapseException(reason, reason.explanation());
  }

  @Test
  void settlesOnTheThirdEmptyPollWhenTheySpanTenSeconds() {
    assertThat(tracker.observe(at(0), IDLE)).containsExactly(new WaitEvent.Idle());
    assertThat(tracker.observe(at(5), IDLE)).isEmpty();
    assertThat(tracker.outcome()).isEqualTo(Outcome.WAITING);
    tracker.observe(at(10), IDLE);
    assertThat(tracker.outcome()).isEqualTo(Outcome.SETTLED);
    assertThat(tracker.outcome().exitCode()).isZero();
  }

  @Test
  void threeQuickEmptyPollsAreNotEnoughWithinTenSeconds() {
    tracker.observe(at(0), IDLE);
    tracker.observe(at(1), IDLE);
    tracker.observe(at(2), IDLE);
    tracker.observe(at(9), IDLE);
    assertThat(tracker.outcome()).isEqualTo(Outcome.WAITING);
    assertThat(tracker.idlePolls()).isEqualTo(4);
    tracker.observe(at(10), IDLE);
    assertThat(tracker.outcome()).isEqualTo(Outcome.SETTLED);
  }

  @Test
  void twoEmptyPollsOverAMinuteAreNotEnoughEither() {
    tracker.observe(at(0), IDLE);
    tracker.observe(at(60), IDLE);
    assertThat(tracker.outcome()).isEqualTo(Outcome.WAITING);
  }

  @Test
  void anUpdateBetweenEmptyPollsRestartsTheCount() {
    tracker.observe(at(0), IDLE);
    tracker.observe(at(5), IDLE);
    tracker.observe(at(10), running(true, "master", "a"));
    assertThat(tracker.idlePolls()).isZero();
    tracker.observe(at(15), IDLE);
    tracker.observe(at(20), IDLE);
    assertThat(tracker.outcome()).isEqualTo(Outcome.WAITING);
    assertThat(tracker.idleSince()).contains(at(15));
    tracker.observe(at(25), IDLE);
    assertThat(tracker.outcome()).isEqualTo(Outcome.SETTLED);
  }

  @Test
  void aFailedPollRestartsTheCountBecauseSynapseMayHaveRestarted() {
    tracker.observe(at(0), IDLE);
    tracker.observe(at(5), IDLE);
    tracker.failed(at(10), failure(FailureReason.CONNECT));
    tracker.observe(at(15), IDLE);
    tracker.observe(at(20), IDLE);
    assertThat(tracker.outcome()).isEqualTo(Outcome.WAITING);
  }

  @Test
  void reportsUpdatesStartingAndFinishingPerDatabase() {
    assertThat(tracker.observe(at(0), running(true, "main", "a", "state", "x")))
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactly("Running", "Running");
    assertThat(tracker.observe(at(5), running(true, "main", "b", "state", "x")))
        .containsExactly(
            new WaitEvent.Finished("main", "a"),
            new WaitEvent.Running(
                "main", new CurrentUpdate("b", 1, 1.0, OptionalDouble.empty()), false));
    assertThat(tracker.observe(at(10), running(true, "main", "b")))
        .containsExactly(new WaitEvent.Finished("state", "x"));
    assertThat(tracker.finishedCount()).isEqualTo(2);
  }

  @Test
  void updatesRunningAtTheFirstPollAreMarkedAsSeenAtStart() {
    var events = tracker.observe(at(0), running(true, "master", "a"));
    assertThat(((WaitEvent.Running) events.get(0)).seenAtStart()).isTrue();
  }

  @Test
  void anUpdateSeenAgainIsNoLongerCountedAsFinished() {
    tracker.observe(at(0), running(true, "master", "a"));
    tracker.observe(at(5), IDLE);
    assertThat(tracker.finishedCount()).isEqualTo(1);
    tracker.observe(at(10), running(true, "master", "a"));
    assertThat(tracker.finishedCount()).isZero();
  }

  @Test
  void pausedEndsWaitingWithExitFour() {
    assertThat(tracker.observe(at(0), running(false, "master", "a")))
        .contains(new WaitEvent.Paused());
    assertThat(tracker.outcome()).isEqualTo(Outcome.PAUSED);
    assertThat(tracker.outcome().exitCode()).isEqualTo(4);
  }

  @Test
  void pausedWithNothingListedIsStillPausedNotDone() {
    tracker.observe(at(0), new StatusResponse(false, Map.of()));
    assertThat(tracker.outcome()).isEqualTo(Outcome.PAUSED);
  }

  @Test
  void withAllowPausedEmptyPausedPollsDoNotCountAndResumingIsReported() {
    WaitTracker t = new WaitTracker(settings(Optional.empty(), true), T0);
    StatusResponse pausedIdle = new StatusResponse(false, Map.of());
    assertThat(t.observe(at(0), pausedIdle)).containsExactly(new WaitEvent.Paused());
    t.observe(at(5), pausedIdle);
    t.observe(at(10), pausedIdle);
    assertThat(t.outcome()).isEqualTo(Outcome.WAITING);
    assertThat(t.idlePolls()).isZero();
    assertThat(t.observe(at(15), IDLE))
        .containsExactly(new WaitEvent.Resumed(), new WaitEvent.Idle());
    assertThat(t.paused()).isFalse();
  }

  @Test
  void givesUpWhenFailuresLastMaxUnreachableCountedFromTheFirstFailure() {
    tracker.observe(at(0), IDLE);
    assertThat(tracker.failed(at(30), failure(FailureReason.CONNECT)))
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactly("Unreachable");
    assertThat(tracker.failed(at(35), failure(FailureReason.CONNECT))).isEmpty();
    assertThat(tracker.failed(at(40), failure(FailureReason.SERVER_ERROR))).hasSize(1);
    tracker.failed(at(149), failure(FailureReason.SERVER_ERROR));
    assertThat(tracker.outcome()).isEqualTo(Outcome.WAITING);
    tracker.failed(at(150), failure(FailureReason.SERVER_ERROR));
    assertThat(tracker.outcome()).isEqualTo(Outcome.UNREACHABLE);
    assertThat(tracker.outcome().exitCode()).isEqualTo(3);
  }

  @Test
  void aGoodPollResetsTheUnreachableClock() {
    tracker.failed(at(0), failure(FailureReason.CONNECT));
    assertThat(tracker.observe(at(100), IDLE))
        .first()
        .isEqualTo(new WaitEvent.Reachable(Duration.ofSeconds(100)));
    tracker.failed(at(110), failure(FailureReason.CONNECT));
    tracker.failed(at(200), failure(FailureReason.CONNECT));
    assertThat(tracker.outcome()).isEqualTo(Outcome.WAITING);
    assertThat(tracker.unreachableSince()).contains(at(110));
  }

  @Test
  void aRejectedTokenBeforeAnyGoodPollGivesUpAtOnce() {
    tracker.failed(at(0), failure(FailureReason.UNAUTHORIZED));
    assertThat(tracker.outcome()).isEqualTo(Outcome.UNREACHABLE);
  }

  @Test
  void aRejectedTokenAfterGoodPollsIsToleratedLikeAnyFailure() {
    tracker.observe(at(0), IDLE);
    tracker.failed(at(5), failure(FailureReason.UNAUTHORIZED));
    assertThat(tracker.outcome()).isEqualTo(Outcome.WAITING);
  }

  @Test
  void connectFailuresBeforeAnyGoodPollAreToleratedSynapseMayBeStarting() {
    tracker.failed(at(0), failure(FailureReason.CONNECT));
    tracker.failed(at(60), failure(FailureReason.SERVER_ERROR));
    assertThat(tracker.outcome()).isEqualTo(Outcome.WAITING);
  }

  @Test
  void timesOutAtTheDeadlineAndNeverSleepsPastIt() {
    WaitTracker t = new WaitTracker(settings(Optional.of(Duration.ofSeconds(12)), false), T0);
    assertThat(t.nextPoll(at(0))).isEqualTo(at(5));
    assertThat(t.nextPoll(at(10))).isEqualTo(at(12));
    assertThat(t.checkDeadline(at(11))).isEqualTo(Outcome.WAITING);
    assertThat(t.checkDeadline(at(12))).isEqualTo(Outcome.TIMED_OUT);
    assertThat(t.outcome().exitCode()).isEqualTo(1);
  }

  @Test
  void withoutATimeoutThereIsNoDeadline() {
    assertThat(tracker.deadline()).isEmpty();
    assertThat(tracker.checkDeadline(at(1_000_000))).isEqualTo(Outcome.WAITING);
    assertThat(tracker.nextPoll(at(7))).isEqualTo(at(12));
  }

  @Test
  void theFirstVerdictStandsLaterPollsDoNotChangeIt() {
    WaitTracker t = new WaitTracker(settings(Optional.of(Duration.ofSeconds(5)), false), T0);
    t.observe(at(0), running(false, "master", "a"));
    assertThat(t.checkDeadline(at(6))).isEqualTo(Outcome.PAUSED);
  }
}
