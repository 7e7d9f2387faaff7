package io.github.synapsebgu.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.poll.SourceSnapshot;
import io.github.synapsebgu.exporter.source.database.DatabaseSnapshot;
import io.github.synapsebgu.exporter.source.database.DatabaseSourceException;
import io.github.synapsebgu.exporter.source.database.IndexBuild;
import io.github.synapsebgu.exporter.source.database.QueuedUpdate;
import io.github.synapsebgu.exporter.testing.MutableClock;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class IndexBuildCollectorTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

  private static IndexBuild build(String table, String index) {
    return new IndexBuild(
        table,
        index,
        "CREATE INDEX",
        "building index: scanning table",
        OptionalLong.of(10),
        OptionalLong.of(100),
        OptionalLong.empty(),
        OptionalLong.empty());
  }

  /**
   * Two plain CREATE INDEX builds (no index name yet) and other sessions' rows that a role without
   * pg_read_all_stats sees as all NULL: each would give the same label set, and a duplicate label
   * set fails the whole scrape in the Prometheus client.
   */
  @Test
  void builds_that_look_alike_never_make_duplicate_series() throws Exception {
    DatabaseSnapshot master =
        new DatabaseSnapshot(
            "master",
            List.of(
                new QueuedUpdate(
                    0, "event_search_index", 7003, Optional.empty(), OptionalLong.empty())),
            OptionalLong.of(92),
            List.of(
                build("events", "-"),
                build("events", "-"),
                build("unknown", "unknown"),
                build("unknown", "unknown"),
                build("rooms", "rooms_idx")));
    SourceSnapshot<DatabaseSnapshot> snapshot =
        new SourceSnapshot<>(
            DatabaseSourceException.SOURCE,
            true,
            true,
            Optional.of(master),
            clock.millis(),
            Optional.empty(),
            Map.of());
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(
        new IndexBuildCollector(
            List.of(() -> snapshot), PollSnapshot::initial, clock, Duration.ofMinutes(5)));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    String text = out.toString(StandardCharsets.UTF_8);

    assertThat(text)
        .contains("index=\"(unnamed, on events)\"")
        .contains("index=\"rooms_idx\"")
        .doesNotContain("unknown");
    assertThat(text.lines().filter(l -> l.startsWith("synapse_background_update_index_build_info")))
        .hasSize(2);
  }
}
