package io.github.synapsebgu.exporter.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

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

/** The text of wait's lines and of the numbers in every command's output. */
class WaitMessagesTest {
  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  private static CurrentUpdate update(String name, long items, Double perMs) {
    return new CurrentUpdate(
        name, items, 10.0, perMs == null ? OptionalDouble.empty() : OptionalDouble.of(perMs));
  }

  @Test
  void ratesKeepAUsefulNumberOfDigits() {
    assertThat(Formats.rate(update("u", 1, null))).isEqualTo("-");
    assertThat(Formats.rate(update("u", 1, 0.00004))).isEqualTo("0.04/s");
    assertThat(Formats.rate(update("u", 1, 0.0025))).isEqualTo("2.5/s");
    assertThat(Formats.rate(update("u", 1, 0.6357220412595005))).isEqualTo("636/s");
    assertThat(Formats.rate(update("u", 1, 12.5))).isEqualTo("12,500/s");
  }

  @Test
  void durationsAndCountsReadLikeTheFlags() {
    assertThat(Formats.seconds(Duration.ofMillis(3_999))).isEqualTo("3s");
    assertThat(Formats.seconds(Duration.ofSeconds(3_725))).isEqualTo("1h2m5s");
    assertThat(Formats.seconds(Duration.ZERO)).isEqualTo("0s");
    assertThat(Formats.runTime(19.0)).isEqualTo("19ms");
    assertThat(Formats.runTime(65_432.0)).isEqualTo("1m5s");
    assertThat(Formats.items(1_234_567)).isEqualTo("1,234,567");
    assertThat(Formats.progress(update("populate", 0, null))).isEqualTo("populate (0 items)");
  }

  @Test
  void theLiveLineShowsEveryDatabaseAndTheTimeoutWhenThereIsOne() {
    WaitTracker t =
        new WaitTracker(
            new WaitSettings(
                Duration.ofSeconds(5),
                3,
                Duration.ofSeconds(10),
                Optional.of(Duration.ofHours(2)),
                Duration.ofMinutes(2),
                false),
            T0);
    assertThat(WaitMessages.live(t, T0)).isEqualTo("[0s of 2h] reading the status | 0 finished");
    t.observe(
        T0,
        new StatusResponse(
            true, Map.of("main", update("a", 5, 0.5), "state", update("b", 0, null))));
    assertThat(WaitMessages.live(t, T0.plusSeconds(65)))
        .isEqualTo("[1m5s of 2h] main: a (5 items, 500/s); state: b (0 items) | 0 finished");
  }

  @Test
  void theLiveLineCountsDownSettlingAndShowsUnreachability() {
    WaitTracker t =
        new WaitTracker(
            new WaitSettings(
                Duration.ofSeconds(5),
                3,
                Duration.ofSeconds(10),
                Optional.empty(),
                Duration.ofMinutes(2),
                false),
            T0);
    t.observe(T0, new StatusResponse(true, Map.of()));
    t.observe(T0.plusSeconds(5), new StatusResponse(true, Map.of()));
    assertThat(WaitMessages.live(t, T0.plusSeconds(5)))
        .isEqualTo("[5s] no update running, settling 2/3 polls, 5s/10s | 0 finished");
    t.failed(T0.plusSeconds(10), new SynapseException(FailureReason.TIMEOUT, "timed out"));
    assertThat(WaitMessages.live(t, T0.plusSeconds(40)))
        .isEqualTo("[40s] Synapse unreachable for 30s [timeout], giving up at 2m | 0 finished");
  }

  @Test
  void theHeaderStatesTheRulesInForce() {
    assertThat(
            WaitMessages.header(
                "https://matrix.example.org/prefix",
                new WaitSettings(
                    Duration.ofSeconds(5),
                    1,
                    Duration.ZERO,
                    Optional.empty(),
                    Duration.ofMinutes(2),
                    true)))
        .isEqualTo(
            "Waiting for background updates on https://matrix.example.org/prefix (poll every 5s;"
                + " done after 1 poll over at least 0s without a current update; timeout none;"
                + " give up after 2m unreachable)");
  }
}
