package io.github.synapsebgu.exporter.metrics;

import static io.github.synapsebgu.exporter.metrics.BackgroundUpdatesCollector.REFRESH;
import static io.github.synapsebgu.exporter.metrics.BackgroundUpdatesCollector.gauge;
import static io.github.synapsebgu.exporter.metrics.BackgroundUpdatesCollector.point;

import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.poll.SourceSnapshot;
import io.github.synapsebgu.exporter.poll.TrackedUpdate;
import io.github.synapsebgu.exporter.scrape.PerPollCollector;
import io.github.synapsebgu.exporter.source.database.DatabaseSnapshot;
import io.github.synapsebgu.exporter.source.database.QueuedUpdate;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * The whole queue of background updates, read from Synapse's {@code background_updates} table (the
 * admin API names only the update running now), and the schema version Synapse is at. The time left
 * needs the admin API's rate too: it is written where both are fresh.
 */
public final class DatabaseQueueCollector implements PerPollCollector {
  private final FreshDatabases databases;

  /**
   * @param databases one poll loop per database, so one that fails never hides the others
   */
  public DatabaseQueueCollector(
      List<Supplier<SourceSnapshot<DatabaseSnapshot>>> databases,
      Supplier<PollSnapshot> adminApi,
      Clock clock,
      Duration staleAfter) {
    this.databases = new FreshDatabases(databases, adminApi, clock, staleAfter);
  }

  @Override
  public Object cacheKey() {
    return databases.cacheKey();
  }

  @Override
  public MetricSnapshots collect() {
    List<DatabaseSnapshot> data = databases.now();
    Map<String, TrackedUpdate> current = databases.currentUpdates(databases.nowMillis());

    var pending =
        gauge(
            "synapse_background_updates_pending",
            null,
            "Rows of Synapse's background_updates table, the running update included (0: nothing"
                + " left)."
                + REFRESH);
    var position =
        gauge(
            "synapse_background_update_queue_position",
            null,
            "Place of a pending update in the order Synapse runs them: 0 for the one running now"
                + " (or next), then 1, 2..."
                + REFRESH);
    var info =
        InfoSnapshot.builder()
            .name("synapse_background_update")
            .help(
                "A pending update: the schema version it came with (ordering; 0 for a job started"
                    + " by hand) and the update it waits for (depends_on); always 1."
                    + REFRESH);
    var ordering =
        gauge(
            "synapse_background_update_ordering",
            null,
            "The schema version a pending update came with, as Synapse's ordering column (by"
                + " convention version x 100 + n, e.g. 9101; 0 for a job started by hand): the"
                + " same as the _info series' label, as a number for alerts."
                + REFRESH);
    var remaining =
        gauge(
            "synapse_background_update_items_remaining",
            null,
            "Items left according to the update's progress_json, where it says (the user"
                + " directory updates do)."
                + REFRESH);
    var timeLeft =
        gauge(
            "synapse_background_update_estimated_remaining_seconds",
            Unit.SECONDS,
            "Estimated time left of the current update: items remaining / items_per_second;"
                + " absent unless both are known."
                + REFRESH);
    var schema =
        gauge(
            "synapse_background_updates_schema_version",
            null,
            "The schema version Synapse's database is at (schema_version): compare with a pending"
                + " update's ordering."
                + REFRESH);
    for (DatabaseSnapshot d : data) {
      pending.dataPoint(point(Labels.of("database", d.database()), d.queue().size()));
      d.schemaVersion()
          .ifPresent(v -> schema.dataPoint(point(Labels.of("database", d.database()), v)));
      for (QueuedUpdate u : d.queue()) {
        Labels labels = Labels.of("database", d.database(), "update", u.name());
        position.dataPoint(point(labels, u.position()));
        ordering.dataPoint(point(labels, u.ordering()));
        info.dataPoint(
            InfoSnapshot.InfoDataPointSnapshot.builder()
                .labels(
                    labels
                        .add("ordering", Long.toString(u.ordering()))
                        .add("depends_on", u.dependsOn().orElse("")))
                .build());
        if (u.remaining().isPresent()) {
          long left = u.remaining().getAsLong();
          remaining.dataPoint(point(labels, left));
          TrackedUpdate running = current.get(d.database());
          OptionalDouble rate =
              running != null && running.update().name().equals(u.name())
                  ? running.update().itemsPerSecond()
                  : OptionalDouble.empty();
          if (rate.isPresent() && rate.getAsDouble() > 0) {
            timeLeft.dataPoint(point(labels, left / rate.getAsDouble()));
          }
        }
      }
    }
    return new MetricSnapshots(
        pending.build(),
        position.build(),
        info.build(),
        ordering.build(),
        remaining.build(),
        timeLeft.build(),
        schema.build());
  }
}
