package io.github.synapsebgu.exporter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.poll.TrackedUpdate;
import io.github.synapsebgu.exporter.synapse.CurrentUpdate;
import io.github.synapsebgu.exporter.synapse.FailureReason;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import io.github.synapsebgu.exporter.testing.SynapseAnswers;
import io.github.synapsebgu.exporter.testing.SynapseBodies;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The restart watch fed snapshots directly, to pin down when it must stay quiet. */
class TimedPauseTest extends AdminApiTest {
  private TimedPause pause;

  @BeforeEach
  void start() throws IOException {
    h = AdminHarness.start(dir);
    pause =
        new TimedPause(
            h.client, Clock.systemUTC(), Duration.ofSeconds(2), Duration.ofMillis(200), () -> {});
  }

  @AfterEach
  void stop() {
    pause.close();
  }

  private static PollSnapshot polled(boolean up, boolean enabled) {
    return polled(up, enabled, List.of());
  }

  /** A poll that saw populate_stats_process_rooms on master at {@code items} items. */
  private static PollSnapshot running(boolean enabled, long items) {
    CurrentUpdate u =
        new CurrentUpdate(
            "populate_stats_process_rooms", items, items * 2.0, OptionalDouble.of(0.5));
    return polled(true, enabled, List.of(new TrackedUpdate("master", u, 0)));
  }

  private static PollSnapshot polled(boolean up, boolean enabled, List<TrackedUpdate> updates) {
    return polled(up, enabled, updates, FailureReason.CONNECT);
  }

  /** A failed poll fails with {@code reason}: CONNECT is what a restart looks like. */
  private static PollSnapshot polled(
      boolean up, boolean enabled, List<TrackedUpdate> updates, FailureReason reason) {
    long now = System.currentTimeMillis();
    return new PollSnapshot(
        true,
        up,
        Optional.of(enabled),
        updates,
        now,
        0.01,
        up
            ? Optional.empty()
            : Optional.of(new PollSnapshot.PollFailure("admin_api", reason, "test", now)),
        1,
        Map.of());
  }

  private int enabledReads() {
    return h.synapse.count(Call.READ_ENABLED);
  }

  @Test
  void aPollThatStartedBeforeThePauseDoesNotPauseTwice() throws Exception {
    pause.set(false, Optional.of(Duration.ofHours(1)));

    // A poll that read "enabled: true" just before our pause reached Synapse.
    pause.onSnapshot(polled(true, true));

    AdminHarness.await(() -> enabledReads() == 1, Duration.ofSeconds(3));
    Thread.sleep(200);
    assertThat(h.synapse.enabledPosts(false)).isEqualTo(1);
  }

  @Test
  void aFailedPollOrAPausedSynapseNeedsNothing() throws Exception {
    pause.set(false, Optional.of(Duration.ofHours(1)));
    h.synapse.restart();

    pause.onSnapshot(polled(false, true));
    pause.onSnapshot(polled(true, false));
    Thread.sleep(300);

    assertThat(enabledReads()).isZero();
    assertThat(h.synapse.enabledPosts(false)).isEqualTo(1);
  }

  @Test
  void manySnapshotsDuringOneRestartPauseOnce() throws Exception {
    pause.set(false, Optional.of(Duration.ofHours(1)));
    h.synapse.restart();

    pause.onSnapshot(polled(false, false)); // unreachable while it restarted
    for (int i = 0; i < 20; i++) {
      pause.onSnapshot(polled(true, true));
    }

    AdminHarness.await(() -> h.synapse.enabledPosts(false) == 2, Duration.ofSeconds(3));
    Thread.sleep(300);
    assertThat(h.synapse.enabledPosts(false)).isEqualTo(2);
    assertThat(h.synapse.enabled()).isFalse();
  }

  @Test
  void withoutATimedPauseSnapshotsAreIgnored() throws Exception {
    pause.set(false, Optional.empty());
    h.synapse.restart();

    pause.onSnapshot(polled(true, true));
    Thread.sleep(300);

    assertThat(enabledReads()).isZero();
    assertThat(pause.active()).isEmpty();
  }

  @Test
  void aFailedResumeAtExpiryIsRetriedUntilItWorks() throws Exception {
    var failing =
        h.synapse.answer(
            Call.SET_ENABLED,
            SynapseBodies.ENABLED_TRUE,
            SynapseAnswers.raw(503, "text/plain", "upstream unavailable"));
    pause.set(false, Optional.of(Duration.ofSeconds(1)));

    AdminHarness.await(() -> h.synapse.enabledPosts(true) >= 2, Duration.ofSeconds(4));
    assertThat(h.synapse.enabled()).isFalse();
    // Still listed, its expiry in the past: status and the gauge show the overdue resume.
    assertThat(pause.active()).isPresent();

    h.synapse.remove(failing);
    AdminHarness.await(() -> h.synapse.enabled(), Duration.ofSeconds(3));
    AdminHarness.await(() -> pause.active().isEmpty(), Duration.ofSeconds(1));
  }

  @Test
  void a_timeout_before_an_outside_resume_is_no_sign_of_a_restart() throws Exception {
    pause.onSnapshot(running(true, 500));
    pause.set(false, Optional.of(Duration.ofHours(1)));
    pause.onSnapshot(running(false, 500));
    pause.onSnapshot(polled(false, false, List.of(), FailureReason.TIMEOUT));
    h.synapse.enabled(true); // resumed by someone other than the exporter

    pause.onSnapshot(running(true, 520));
    Thread.sleep(300);

    assertThat(h.synapse.enabledPosts(false)).isEqualTo(1); // not paused again
    assertThat(pause.active()).isEmpty();
  }

  @Test
  void counters_that_start_over_for_the_same_update_are_a_restart() throws Exception {
    pause.onSnapshot(running(true, 500));
    pause.set(false, Optional.of(Duration.ofHours(1)));
    pause.onSnapshot(running(false, 500));
    h.synapse.restart();

    pause.onSnapshot(running(true, 3));

    AdminHarness.await(() -> h.synapse.enabledPosts(false) == 2, Duration.ofSeconds(3));
    assertThat(h.synapse.enabled()).isFalse();
    assertThat(pause.active()).isPresent();
    assertThat(pause.events().get(PauseEvents.Event.REPAUSED)).isEqualTo(1);
  }

  @Test
  void a_resume_made_elsewhere_ends_the_timed_pause_and_stays() throws Exception {
    pause.onSnapshot(running(true, 500));
    pause.set(false, Optional.of(Duration.ofHours(1)));
    pause.onSnapshot(running(false, 500));
    h.synapse.enabled(true); // resumed by someone other than the exporter

    pause.onSnapshot(running(true, 520));

    AdminHarness.await(() -> pause.active().isEmpty(), Duration.ofSeconds(3));
    Thread.sleep(200);
    assertThat(h.synapse.enabled()).isTrue();
    assertThat(h.synapse.enabledPosts(false)).isEqualTo(1);
    assertThat(pause.events().get(PauseEvents.Event.RESUMED_OUTSIDE)).isEqualTo(1);
    assertThat(pause.events().get(PauseEvents.Event.REPAUSED)).isZero();
  }

  @Test
  void a_restart_that_leaves_no_sign_is_taken_for_a_resume_the_documented_safe_side()
      throws Exception {
    // Nothing running and no failed poll in between: nothing tells this restart from a resume.
    pause.set(false, Optional.of(Duration.ofHours(1)));
    pause.onSnapshot(polled(true, false));
    h.synapse.restart();

    pause.onSnapshot(polled(true, true));

    AdminHarness.await(() -> pause.active().isEmpty(), Duration.ofSeconds(3));
    assertThat(h.synapse.enabledPosts(false)).isEqualTo(1);
    assertThat(pause.events().get(PauseEvents.Event.RESUMED_OUTSIDE)).isEqualTo(1);
  }
}
