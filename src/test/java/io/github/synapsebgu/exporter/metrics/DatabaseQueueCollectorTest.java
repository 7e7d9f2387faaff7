package io.github.synapsebgu.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.poll.SourceSnapshot;
import io.github.synapsebgu.exporter.poll.TrackedUpdate;
import io.github.synapsebgu.exporter.source.database.DatabaseSnapshot;
import io.github.synapsebgu.exporter.source.database.DatabaseSourceException;
import io.github.synapsebgu.exporter.source.database.IndexBuild;
import io.github.synapsebgu.exporter.source.database.QueuedUpdate;
import io.github.synapsebgu.exporter.synapse.CurrentUpdate;
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
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DatabaseQueueCollectorTest {
  private static final String CREATE = "populate_user_directory_createtables";
  private static final String ROOMS = "populate_user_directory_process_rooms";
  private static final String RELATIONS = "event_arbitrary_relations";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

  /** The table in Synapse's ORDER BY: the two ordering-0 rows of a job by hand come first. */
  private SourceSnapshot<DatabaseSnapshot> table() {
    return new SourceSnapshot<>(
        DatabaseSourceException.SOURCE,
        true,
        true,
        Optional.of(
            new DatabaseSnapshot(
                "master",
                List.of(
                    new QueuedUpdate(0, CREATE, 0, Optional.empty(), OptionalLong.empty()),
                    new QueuedUpdate(1, ROOMS, 0, Optional.of(CREATE), OptionalLong.empty()),
                    new QueuedUpdate(2, RELATIONS, 7003, Optional.empty(), OptionalLong.of(600))),
                OptionalLong.of(92),
                List.of(
                    new IndexBuild(
                        "event_relations",
                        "event_relations_idx",
                        "CREATE INDEX CONCURRENTLY",
                        "building index: scanning table",
                        OptionalLong.of(5),
                        OptionalLong.of(50),
                        OptionalLong.empty(),
                        OptionalLong.empty())))),
        clock.millis(),
        Optional.empty(),
        Map.of());
  }

  /** The admin API: Synapse runs event_arbitrary_relations now (picked before the job's rows). */
  private PollSnapshot adminApi(String running) {
    return new PollSnapshot(
        true,
        true,
        Optional.of(true),
        List.of(
            new TrackedUpdate(
                "master",
                new CurrentUpdate(running, 40, 20_000.0, OptionalDouble.of(0.002)),
                clock.millis())),
        clock.millis(),
        0.01,
        Optional.empty(),
        1,
        Map.of());
  }

  private String scrape(PollSnapshot api) throws Exception {
    SourceSnapshot<DatabaseSnapshot> db = table();
    List<Supplier<SourceSnapshot<DatabaseSnapshot>>> dbs = List.of(() -> db);
    Duration stale = Duration.ofMinutes(5);
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new DatabaseQueueCollector(dbs, () -> api, clock, stale));
    registry.register(new IndexBuildCollector(dbs, () -> api, clock, stale));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void position_0_is_the_update_the_admin_api_names_as_current_the_rest_in_synapses_order()
      throws Exception {
    String text = scrape(adminApi(RELATIONS));

    assertThat(text)
        .contains(position(RELATIONS, 0))
        .contains(position(CREATE, 1))
        .contains(position(ROOMS, 2));
    // the running update's time left (its rate is the admin API's) and its index build
    assertThat(text)
        .contains(
            "synapse_background_update_estimated_remaining_seconds{database=\"master\",update=\""
                + RELATIONS
                + "\"} 300.0")
        .contains(
            "synapse_background_update_index_build_blocks_expected{database=\"master\","
                + "index=\"event_relations_idx\",update=\""
                + RELATIONS
                + "\"} 50.0");
  }

  @Test
  void without_a_current_update_in_the_table_the_order_is_synapses() throws Exception {
    String text = scrape(adminApi("an_update_already_gone"));

    assertThat(text)
        .contains(position(CREATE, 0))
        .contains(position(ROOMS, 1))
        .contains(position(RELATIONS, 2))
        .doesNotContain("estimated_remaining_seconds{");
  }

  private static String position(String update, int position) {
    return "synapse_background_update_queue_position{database=\"master\",update=\""
        + update
        + "\"} "
        + position
        + ".0";
  }
}
