package io.github.synapsebgu.exporter.metrics;

import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.poll.TrackedUpdate;
import io.github.synapsebgu.exporter.scrape.PerPollCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What Synapse reported at the last successful poll: whether updates are enabled and, per database,
 * the update running on it. Built at scrape time from the current snapshot, so a finished update is
 * gone from the next scrape, and hidden entirely once the data is older than {@code
 * --poll.stale-after}.
 */
public final class BackgroundUpdatesCollector implements PerPollCollector {
  static final String REFRESH = " Refreshed every poll interval.";

  private final Supplier<PollSnapshot> snapshots;
  private final Clock clock;
  private final long staleAfterMillis;

  public BackgroundUpdatesCollector(
      Supplier<PollSnapshot> snapshots, Clock clock, Duration staleAfter) {
    this.snapshots = snapshots;
    this.clock = clock;
    this.staleAfterMillis = staleAfter.toMillis();
  }

  /**
   * Everything {@link #collect()} depends on: the snapshot and whether its data is stale now. Equal
   * keys give equal output, so /metrics can write this collector's exposition once per poll.
   */
  @Override
  public Object cacheKey() {
    PollSnapshot s = snapshots.get();
    return new CacheKey(s, s.dataIsStale(clock.millis(), staleAfterMillis));
  }

  /** Compares the snapshot by identity: each poll publishes a new one, and that is cheap. */
  private record CacheKey(PollSnapshot snapshot, boolean stale) {
    @Override
    public boolean equals(Object o) {
      return o instanceof CacheKey k && k.snapshot == snapshot && k.stale == stale;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(snapshot) * 31 + (stale ? 1 : 0);
    }
  }

  @Override
  public MetricSnapshots collect() {
    PollSnapshot s = snapshots.get();
    boolean stale = s.dataIsStale(clock.millis(), staleAfterMillis);
    List<TrackedUpdate> updates = stale ? List.of() : s.updates();

    var enabled =
        gauge(
            "synapse_background_updates_enabled",
            null,
            "Whether Synapse runs background updates: 1 enabled, 0 paused (POST .../background_updates/enabled)."
                + REFRESH);
    if (!stale && s.enabled().isPresent()) {
      enabled.dataPoint(point(Labels.EMPTY, s.enabled().get() ? 1 : 0));
    }
    var inProgress =
        gauge(
            "synapse_background_updates_in_progress",
            null,
            "Number of databases with a background update currently running (0: nothing runs)."
                + REFRESH);
    if (!stale) {
      inProgress.dataPoint(point(Labels.EMPTY, updates.size()));
    }
    var items =
        gauge(
            "synapse_background_update_items_processed",
            null,
            "Items processed by the current update (total_item_count; Synapse restarts it from 0 on restart)."
                + REFRESH);
    var duration =
        gauge(
            "synapse_background_update_duration_seconds",
            Unit.SECONDS,
            "Time the current update has spent running, sleeps between batches excluded (total_duration_ms)."
                + REFRESH);
    var rate =
        gauge(
            "synapse_background_update_items_per_second",
            null,
            "Moving average of the current update's processing rate (average_items_per_ms x 1000);"
                + " absent until Synapse reports one."
                + REFRESH);
    var progress =
        gauge(
            "synapse_background_update_last_progress_timestamp_seconds",
            Unit.SECONDS,
            "Unix time at which the exporter last saw the update's item count grow, or first saw the update."
                + REFRESH);
    for (TrackedUpdate u : updates) {
      Labels labels = Labels.of("database", u.database(), "update", u.update().name());
      items.dataPoint(point(labels, u.update().totalItemCount()));
      duration.dataPoint(point(labels, u.update().totalDurationMs() / 1000.0));
      u.update()
          .averageItemsPerMs()
          .ifPresent(perMs -> rate.dataPoint(point(labels, perMs * 1000.0)));
      progress.dataPoint(point(labels, u.lastProgressEpochMillis() / 1000.0));
    }
    List<io.prometheus.metrics.model.snapshots.MetricSnapshot> out = new ArrayList<>();
    for (var b : List.of(enabled, inProgress, items, duration, rate, progress)) {
      out.add(b.build());
    }
    return new MetricSnapshots(out);
  }

  static GaugeSnapshot.Builder gauge(String name, Unit unit, String help) {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
    return unit == null ? b : b.unit(unit);
  }

  static GaugeDataPointSnapshot point(Labels labels, double value) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
  }
}
