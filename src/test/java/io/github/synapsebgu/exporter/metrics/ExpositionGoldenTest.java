package io.github.synapsebgu.exporter.metrics;

import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.http.WebServer;
import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.poll.TrackedUpdate;
import io.github.synapsebgu.exporter.source.Reason;
import io.github.synapsebgu.exporter.synapse.CurrentUpdate;
import io.github.synapsebgu.exporter.synapse.FailureReason;
import io.github.synapsebgu.exporter.testing.GoldenExposition;
import io.github.synapsebgu.exporter.testing.MutableClock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exposition of a fixed snapshot, byte for byte, as served over HTTP. Regenerate after an
 * intended change with {@code mvn test -Dtest=ExpositionGoldenTest -Dgolden.update=true} and review
 * the diff.
 */
class ExpositionGoldenTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/metrics.txt");
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

  private WebServer server;

  private static PollSnapshot snapshot() {
    long now = NOW.toEpochMilli();
    return new PollSnapshot(
        true,
        true,
        Optional.of(true),
        List.of(
            new TrackedUpdate(
                "main",
                new CurrentUpdate(
                    "populate_stats_process_rooms",
                    12,
                    19.0,
                    OptionalDouble.of(0.6357220412595005)),
                now - 4_000),
            new TrackedUpdate(
                "state",
                new CurrentUpdate(
                    "state_group_state_deduplication", 0, 0.0, OptionalDouble.empty()),
                now - 60_000)),
        now,
        0.0125,
        Optional.empty(),
        42,
        counts(Map.of(FailureReason.TIMEOUT, 2L, FailureReason.SERVER_ERROR, 1L)));
  }

  /** Every reason, as the poller counts them: from zero. */
  private static Map<Reason, Long> counts(Map<FailureReason, Long> nonZero) {
    Map<Reason, Long> counts = new LinkedHashMap<>();
    for (FailureReason r : FailureReason.values()) {
      counts.put(r, nonZero.getOrDefault(r, 0L));
    }
    return counts;
  }

  @BeforeEach
  void start() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    PollSnapshot s = snapshot();
    registry.register(
        new BackgroundUpdatesCollector(() -> s, new MutableClock(NOW), Duration.ofMinutes(5)));
    registry.register(new PollHealthCollector(() -> s));
    registry.register(new BuildInfoCollector(new BuildInfo("0.1.0", "0123456789ab", "17.0.15")));
    server = GoldenExposition.serve(registry);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String scrape() throws Exception {
    return GoldenExposition.scrape(server);
  }

  @Test
  void matchesTheGoldenFile() throws Exception {
    GoldenExposition.assertMatches(GOLDEN, scrape());
  }

  @Test
  void passesPromtoolCheckMetrics() throws Exception {
    GoldenExposition.assertPromtoolFindsNothing(scrape());
  }
}
