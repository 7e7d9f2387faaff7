package io.github.synapsebgu.exporter.metrics;

import static io.github.synapsebgu.exporter.metrics.BackgroundUpdatesCollector.REFRESH;
import static io.github.synapsebgu.exporter.metrics.BackgroundUpdatesCollector.gauge;
import static io.github.synapsebgu.exporter.metrics.BackgroundUpdatesCollector.point;

import io.github.synapsebgu.exporter.poll.SourceSnapshot;
import io.github.synapsebgu.exporter.scrape.PerPollCollector;
import io.github.synapsebgu.exporter.source.metrics.SynapseMetrics;
import io.github.synapsebgu.exporter.source.metrics.UpdaterState;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The updater state per database from Synapse's own metrics endpoint: the one place that tells an
 * aborted updater (five failures in a row; it retries only after a restart) from a long {@code
 * CREATE INDEX}, which look the same in the admin API.
 */
public final class UpdaterStateCollector implements PerPollCollector {
  private final Supplier<SourceSnapshot<SynapseMetrics>> snapshots;
  private final Clock clock;
  private final long staleAfterMillis;

  public UpdaterStateCollector(
      Supplier<SourceSnapshot<SynapseMetrics>> snapshots, Clock clock, Duration staleAfter) {
    this.snapshots = snapshots;
    this.clock = clock;
    this.staleAfterMillis = staleAfter.toMillis();
  }

  @Override
  public Object cacheKey() {
    SourceSnapshot<SynapseMetrics> s = snapshots.get();
    return SnapshotKey.of(
        new Object[] {s}, s.freshData(clock.millis(), staleAfterMillis).isPresent());
  }

  @Override
  public MetricSnapshots collect() {
    Optional<SynapseMetrics> data = snapshots.get().freshData(clock.millis(), staleAfterMillis);
    var state =
        gauge(
            "synapse_background_updates_updater_state",
            null,
            "Synapse's background updater per database, from its metrics endpoint: 1 for the state"
                + " it is in (aborted: stopped after 5 failures in a row, retried only after a"
                + " restart; disabled; not_started; running; complete), 0 for the others."
                + REFRESH);
    if (data.isPresent()) {
      for (Map.Entry<String, UpdaterState> e : data.get().updaterStates().entrySet()) {
        for (UpdaterState each : UpdaterState.values()) {
          state.dataPoint(
              point(
                  Labels.of("database", e.getKey(), "state", each.label()),
                  each == e.getValue() ? 1 : 0));
        }
      }
    }
    return new MetricSnapshots(state.build());
  }
}
