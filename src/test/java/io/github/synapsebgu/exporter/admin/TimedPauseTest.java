package io.github.synapsebgu.exporter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import io.github.synapsebgu.exporter.testing.SynapseAnswers;
import io.github.synapsebgu.exporter.testing.SynapseBodies;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    return new PollSnapshot(
        true,
        up,
        Optional.of(enabled),
        List.of(),
        System.currentTimeMillis(),
        0.01,
        Optional.empty(),
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
}
