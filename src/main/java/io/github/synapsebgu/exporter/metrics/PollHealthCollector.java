package io.github.synapsebgu.exporter.metrics;

import static io.github.synapsebgu.exporter.metrics.BackgroundUpdatesCollector.gauge;
import static io.github.synapsebgu.exporter.metrics.BackgroundUpdatesCollector.point;

import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.scrape.PerPollCollector;
import io.github.synapsebgu.exporter.source.Reason;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The exporter's own view of its polling: whether the last poll worked, when one last did, how long
 * it took, and failures by reason. Counters come from the same snapshot as the gauges, so {@code
 * polls_total} always equals the successes plus the sum of {@code poll_errors_total}.
 */
public final class PollHealthCollector implements PerPollCollector {
  private final Supplier<PollSnapshot> snapshots;

  public PollHealthCollector(Supplier<PollSnapshot> snapshots) {
    this.snapshots = snapshots;
  }

  /**
   * Everything {@link #collect()} depends on: equal keys give equal output, so /metrics can write
   * this collector's exposition once per poll.
   */
  @Override
  public Object cacheKey() {
    return new CacheKey(snapshots.get());
  }

  /** Compares the snapshot by identity: each poll publishes a new one, and that is cheap. */
  private record CacheKey(PollSnapshot snapshot) {
    @Override
    public boolean equals(Object o) {
      return o instanceof CacheKey k && k.snapshot == snapshot;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(snapshot);
    }
  }

  @Override
  public MetricSnapshots collect() {
    PollSnapshot s = snapshots.get();
    var up =
        gauge(
            "synapse_background_updates_up",
            null,
            "Whether the last poll of Synapse's background-updates admin API succeeded (1) or not (0).");
    up.dataPoint(point(Labels.EMPTY, s.up() ? 1 : 0));
    var lastSuccess =
        gauge(
            "synapse_background_updates_last_poll_success_timestamp_seconds",
            Unit.SECONDS,
            "Unix time of the last successful poll of Synapse (0: none yet).");
    lastSuccess.dataPoint(point(Labels.EMPTY, s.lastSuccessEpochMillis() / 1000.0));
    var duration =
        gauge(
            "synapse_background_updates_poll_duration_seconds",
            Unit.SECONDS,
            "How long the last poll of Synapse took, successful or not.");
    duration.dataPoint(point(Labels.EMPTY, s.lastPollDurationSeconds()));

    var polls =
        CounterSnapshot.builder()
            .name("synapse_background_updates_polls")
            .help("Polls of Synapse's background-updates status made, successful or not.");
    polls.dataPoint(CounterDataPointSnapshot.builder().value(s.pollsTotal()).build());
    var errors =
        CounterSnapshot.builder()
            .name("synapse_background_updates_poll_errors")
            .help("Failed polls of Synapse by reason (see the README's troubleshooting section).");
    for (Map.Entry<Reason, Long> e : s.errorCounts().entrySet()) {
      errors.dataPoint(
          CounterDataPointSnapshot.builder()
              .labels(Labels.of("reason", e.getKey().label()))
              .value(e.getValue())
              .build());
    }
    return new MetricSnapshots(
        up.build(), lastSuccess.build(), duration.build(), polls.build(), errors.build());
  }
}
