package io.github.synapsebgu.exporter.metrics;

import static io.github.synapsebgu.exporter.metrics.BackgroundUpdatesCollector.gauge;
import static io.github.synapsebgu.exporter.metrics.BackgroundUpdatesCollector.point;

import io.github.synapsebgu.exporter.poll.SourceSnapshot;
import io.github.synapsebgu.exporter.scrape.PerPollCollector;
import io.github.synapsebgu.exporter.source.Reason;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The health of the optional sources (Synapse's metrics endpoint, its database), each on its own:
 * {@code synapse_background_updates_up} and {@code poll_errors_total} stay the admin API's, so a
 * database that is down never looks like Synapse being down.
 */
public final class SourceHealthCollector implements PerPollCollector {
  /**
   * One poll loop of an optional source.
   *
   * @param database for the database source, whose databases are polled each on its own: the {@code
   *     database} label that names the one failing
   */
  public record Source(Supplier<? extends SourceSnapshot<?>> snapshot, Optional<String> database) {
    public static Source of(Supplier<? extends SourceSnapshot<?>> snapshot) {
      return new Source(snapshot, Optional.empty());
    }
  }

  private final List<Source> sources;

  /**
   * @param sources the configured optional sources; none is allowed (then nothing is written)
   */
  public SourceHealthCollector(List<Source> sources) {
    this.sources = List.copyOf(sources);
  }

  @Override
  public Object cacheKey() {
    return SnapshotKey.of(current());
  }

  private Object[] current() {
    Object[] now = new Object[sources.size()];
    for (int i = 0; i < now.length; i++) {
      now[i] = sources.get(i).snapshot().get();
    }
    return now;
  }

  @Override
  public MetricSnapshots collect() {
    var up =
        gauge(
            "synapse_background_updates_source_up",
            null,
            "Whether the last poll of this optional source (synapse_metrics: Synapse's metrics"
                + " endpoint, database: its database) succeeded (1) or not (0); the admin API's is"
                + " synapse_background_updates_up.");
    var errors =
        CounterSnapshot.builder()
            .name("synapse_background_updates_source_errors")
            .help(
                "Failed polls of an optional source by reason (see the README's troubleshooting"
                    + " section).");
    Object[] now = current();
    for (int i = 0; i < now.length; i++) {
      SourceSnapshot<?> s = (SourceSnapshot<?>) now[i];
      Labels labels = Labels.of("source", s.source());
      Optional<String> database = sources.get(i).database();
      if (database.isPresent()) {
        labels = labels.add("database", database.get());
      }
      up.dataPoint(point(labels, s.up() ? 1 : 0));
      for (Map.Entry<Reason, Long> e : s.errorCounts().entrySet()) {
        errors.dataPoint(
            CounterDataPointSnapshot.builder()
                .labels(labels.add("reason", e.getKey().label()))
                .value(e.getValue())
                .build());
      }
    }
    return new MetricSnapshots(up.build(), errors.build());
  }
}
