package io.github.synapsebgu.exporter.metrics;

import io.github.synapsebgu.exporter.http.WebServer;
import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.poll.SourceSnapshot;
import io.github.synapsebgu.exporter.poll.TrackedUpdate;
import io.github.synapsebgu.exporter.source.Reason;
import io.github.synapsebgu.exporter.source.database.DatabaseSnapshot;
import io.github.synapsebgu.exporter.source.database.DatabaseSourceException;
import io.github.synapsebgu.exporter.source.database.IndexBuild;
import io.github.synapsebgu.exporter.source.database.QueuedUpdate;
import io.github.synapsebgu.exporter.source.metrics.MetricsSourceException;
import io.github.synapsebgu.exporter.source.metrics.SynapseMetrics;
import io.github.synapsebgu.exporter.source.metrics.UpdaterState;
import io.github.synapsebgu.exporter.synapse.CurrentUpdate;
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
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exposition of the optional sources' series for fixed snapshots, byte for byte, as served over
 * HTTP (the admin API's own series are in golden/metrics.txt, unchanged by these sources).
 * Regenerate with {@code mvn test -Dtest=SourcesExpositionGoldenTest -Dgolden.update=true}.
 */
class SourcesExpositionGoldenTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/metrics-sources.txt");
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
  private static final long NOW_MILLIS = NOW.toEpochMilli();

  private WebServer server;

  private static PollSnapshot adminApi() {
    return new PollSnapshot(
        true,
        true,
        Optional.of(true),
        List.of(
            new TrackedUpdate(
                "master",
                new CurrentUpdate(
                    "populate_user_directory_process_rooms", 40, 20.0, OptionalDouble.of(0.002)),
                NOW_MILLIS - 4_000)),
        NOW_MILLIS,
        0.01,
        Optional.empty(),
        3,
        Map.of());
  }

  private static SourceSnapshot<DatabaseSnapshot> master() {
    DatabaseSnapshot master =
        new DatabaseSnapshot(
            "master",
            List.of(
                new QueuedUpdate(
                    0,
                    "populate_user_directory_process_rooms",
                    0,
                    Optional.of("populate_user_directory_createtables"),
                    OptionalLong.of(42)),
                new QueuedUpdate(
                    1,
                    "populate_user_directory_process_users",
                    0,
                    Optional.of("populate_user_directory_process_rooms"),
                    OptionalLong.empty()),
                new QueuedUpdate(
                    2, "event_arbitrary_relations", 7003, Optional.empty(), OptionalLong.empty())),
            OptionalLong.of(92),
            List.of(
                new IndexBuild(
                    "events",
                    "events_stream_ordering",
                    "CREATE INDEX CONCURRENTLY",
                    "building index: scanning table",
                    OptionalLong.of(1200),
                    OptionalLong.of(5000),
                    OptionalLong.empty(),
                    OptionalLong.empty())));
    return new SourceSnapshot<>(
        DatabaseSourceException.SOURCE,
        true,
        true,
        Optional.of(master),
        NOW_MILLIS,
        Optional.empty(),
        counts(DatabaseSourceException.Reason.values(), DatabaseSourceException.Reason.TIMEOUT));
  }

  /** Failing since its last good read 30 s ago: its values stay, its own up gauge is 0. */
  private static SourceSnapshot<DatabaseSnapshot> state() {
    DatabaseSnapshot state =
        new DatabaseSnapshot("state", List.of(), OptionalLong.of(92), List.of());
    return new SourceSnapshot<>(
        DatabaseSourceException.SOURCE,
        true,
        false,
        Optional.of(state),
        NOW_MILLIS - 30_000,
        Optional.of(
            new PollSnapshot.PollFailure(
                DatabaseSourceException.SOURCE,
                DatabaseSourceException.Reason.CONNECT,
                "database state: connection refused",
                NOW_MILLIS)),
        counts(DatabaseSourceException.Reason.values(), DatabaseSourceException.Reason.CONNECT));
  }

  private static SourceSnapshot<SynapseMetrics> synapseMetrics() {
    return new SourceSnapshot<>(
        MetricsSourceException.SOURCE,
        true,
        true,
        Optional.of(
            new SynapseMetrics(
                Map.of("master", UpdaterState.ABORTED, "state", UpdaterState.COMPLETE),
                OptionalDouble.of(1.7e9))),
        NOW_MILLIS,
        Optional.empty(),
        counts(MetricsSourceException.Reason.values(), null));
  }

  /** Every reason from zero, one of them once. */
  private static Map<Reason, Long> counts(Reason[] reasons, Reason once) {
    Map<Reason, Long> counts = new LinkedHashMap<>();
    for (Reason r : reasons) {
      counts.put(r, r == once ? 1L : 0L);
    }
    return counts;
  }

  @BeforeEach
  void start() throws Exception {
    MutableClock clock = new MutableClock(NOW);
    Duration staleAfter = Duration.ofMinutes(5);
    PollSnapshot api = adminApi();
    SourceSnapshot<DatabaseSnapshot> master = master();
    SourceSnapshot<DatabaseSnapshot> state = state();
    List<Supplier<SourceSnapshot<DatabaseSnapshot>>> db = List.of(() -> master, () -> state);
    SourceSnapshot<SynapseMetrics> metrics = synapseMetrics();
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new DatabaseQueueCollector(db, () -> api, clock, staleAfter));
    registry.register(new IndexBuildCollector(db, () -> api, clock, staleAfter));
    registry.register(new UpdaterStateCollector(() -> metrics, clock, staleAfter));
    registry.register(
        new SourceHealthCollector(
            List.of(
                SourceHealthCollector.Source.of(() -> metrics),
                new SourceHealthCollector.Source(() -> master, Optional.of("master")),
                new SourceHealthCollector.Source(() -> state, Optional.of("state")))));
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
  void the_sources_series_match_the_golden_file() throws Exception {
    GoldenExposition.assertMatches(GOLDEN, scrape());
  }

  @Test
  void the_sources_series_pass_promtool_check_metrics() throws Exception {
    GoldenExposition.assertPromtoolFindsNothing(scrape());
  }
}
