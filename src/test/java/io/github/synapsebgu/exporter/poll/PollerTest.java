package io.github.synapsebgu.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.secrets.Secret;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.synapse.FailureReason;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import io.github.synapsebgu.exporter.synapse.SynapseHttpSettings;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import io.github.synapsebgu.exporter.testing.LogCapture;
import io.github.synapsebgu.exporter.testing.MutableClock;
import io.github.synapsebgu.exporter.testing.SynapseAnswers;
import io.github.synapsebgu.exporter.testing.SynapseBodies;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PollerTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
  private FakeSynapse synapse;
  private SynapseClient client;
  private LogCapture logs;

  @BeforeEach
  void setUp() {
    synapse = FakeSynapse.start();
    client =
        new SynapseClient(
            new SynapseHttpSettings(synapse.url(), Duration.ofSeconds(15), Optional.empty(), false),
            TokenSource.fixed(new Secret(FakeSynapse.TOKEN), "t"),
            "test");
    logs = new LogCapture();
  }

  @AfterEach
  void tearDown() throws Exception {
    logs.close();
    client.close();
    synapse.close();
  }

  private void answer(int status, String body) {
    synapse.answer(Call.STATUS, SynapseAnswers.json(status, body));
  }

  private long lines(String text) {
    return logs.lines().stream().filter(l -> l.contains(text)).count();
  }

  @Test
  void logsAPersistingFailureOnceThenAtMostEveryFiveMinutesAndOnceOnRecovery() {
    answer(500, SynapseBodies.INTERNAL_ERROR);
    try (Poller poller = new Poller(client::fetchStatus, clock, Duration.ofSeconds(15))) {
      for (int i = 0; i < 10; i++) { // 10 polls over 2.5 minutes
        poller.pollOnce();
        clock.advance(Duration.ofSeconds(15));
      }
      assertThat(lines("msg=\"Polling Synapse failed\"")).isEqualTo(1);
      assertThat(lines("Polling Synapse still failing")).isZero();
      clock.advance(Duration.ofMinutes(3));
      poller.pollOnce();
      assertThat(lines("Polling Synapse still failing")).isEqualTo(1);
      assertThat(logs.all()).contains("failed_polls=11").contains("reason=server_error");

      answer(403, SynapseBodies.NOT_ADMIN); // a different reason is news: logged at once
      poller.pollOnce();
      assertThat(lines("msg=\"Polling Synapse failed\"")).isEqualTo(2);

      answer(200, SynapseBodies.NOTHING);
      poller.pollOnce();
      poller.pollOnce();
      assertThat(lines("Polling Synapse recovered")).isEqualTo(1);
    }
  }

  @Test
  void pollsOnceAtStartupThenEveryIntervalWithoutOverlap() throws Exception {
    synapse.answer(Call.STATUS, SynapseAnswers.idle().withFixedDelay(300));
    Poller poller = new Poller(client::fetchStatus, clock, Duration.ofMillis(100));
    try (poller) {
      poller.start();
      Thread.sleep(1_050);
    }
    // Each poll takes 300 ms and the interval is 100 ms: without overlap at most 4 fit in 1.05 s.
    int polls = synapse.count(Call.STATUS);
    assertThat(polls).isBetween(1, 4);
    assertThat(poller.snapshot().pollsTotal()).isEqualTo(polls);
  }

  @Test
  void countsPollsAsSuccessesPlusFailures() throws Exception {
    try (Poller poller = new Poller(client::fetchStatus, clock, Duration.ofHours(1))) {
      answer(200, SynapseBodies.RUNNING_2);
      poller.pollNow().get(5, TimeUnit.SECONDS);
      answer(401, SynapseBodies.UNKNOWN_TOKEN);
      poller.pollNow().get(5, TimeUnit.SECONDS);
      poller.pollNow().get(5, TimeUnit.SECONDS);
      PollSnapshot s = poller.snapshot();
      assertThat(s.pollsTotal()).isEqualTo(3);
      assertThat(s.errorCounts().get(FailureReason.UNAUTHORIZED)).isEqualTo(2);
      assertThat(s.lastFailure())
          .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo(FailureReason.UNAUTHORIZED));
      assertThat(s.updates()).hasSize(1); // last good data kept
    }
  }

  @Test
  void restartsTheProgressClockWhenSynapseRestartedAndItsCountWentDown() {
    try (Poller poller = new Poller(client::fetchStatus, clock, Duration.ofHours(1))) {
      answer(200, SynapseBodies.RUNNING_12);
      poller.pollOnce();
      long first = poller.snapshot().updates().get(0).lastProgressEpochMillis();
      clock.advance(Duration.ofMinutes(1));
      answer(200, SynapseBodies.RUNNING_2);
      poller.pollOnce();
      assertThat(poller.snapshot().updates().get(0).lastProgressEpochMillis())
          .isEqualTo(first + 60_000);
    }
  }
}
