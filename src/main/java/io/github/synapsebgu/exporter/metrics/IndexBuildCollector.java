package io.github.synapsebgu.exporter.metrics;

import static io.github.synapsebgu.exporter.metrics.BackgroundUpdatesCollector.REFRESH;
import static io.github.synapsebgu.exporter.metrics.BackgroundUpdatesCollector.gauge;
import static io.github.synapsebgu.exporter.metrics.BackgroundUpdatesCollector.point;

import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.poll.SourceSnapshot;
import io.github.synapsebgu.exporter.scrape.PerPollCollector;
import io.github.synapsebgu.exporter.source.database.DatabaseSnapshot;
import io.github.synapsebgu.exporter.source.database.IndexBuild;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The real progress of an index-building update (PostgreSQL only): such an update reports 0 items
 * until its {@code CREATE INDEX} ends, often hours later, while {@code
 * pg_stat_progress_create_index} counts blocks and tuples. A build is shown under the update at
 * position 0 of its database's queue, the one Synapse runs now (the admin API's current one when it
 * is in the table).
 */
public final class IndexBuildCollector implements PerPollCollector {
  private final FreshDatabases databases;

  public IndexBuildCollector(
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
    var info =
        InfoSnapshot.builder()
            .name("synapse_background_update_index_build")
            .help(
                "An index build running for the current update (pg_stat_progress_create_index):"
                    + " its table, index, command and phase; always 1."
                    + REFRESH);
    var blocksDone = progressGauge("blocks_done", "Blocks processed (blocks_done)");
    var blocksTotal = progressGauge("blocks_expected", "Blocks to process (blocks_total)");
    var tuplesDone = progressGauge("tuples_done", "Tuples processed (tuples_done)");
    var tuplesTotal = progressGauge("tuples_expected", "Tuples to process (tuples_total)");
    for (DatabaseSnapshot d : data) {
      if (d.queue().isEmpty()) {
        continue; // not Synapse's: no background update runs
      }
      String update = d.queue().get(0).name();
      Set<String> seen = new HashSet<>();
      for (IndexBuild b : d.indexBuilds()) {
        if (b.table().equals("unknown")) {
          continue; // another session's row, all NULL without pg_read_all_stats: nothing to show
        }
        // A plain CREATE INDEX has no index yet (index_relid 0, shown as "-").
        String index = b.index().equals("-") ? "(unnamed, on " + b.table() + ")" : b.index();
        if (!seen.add(index)) {
          continue; // two builds that look the same here: one series each would be a duplicate
        }
        Labels labels = Labels.of("database", d.database(), "update", update, "index", index);
        info.dataPoint(
            InfoSnapshot.InfoDataPointSnapshot.builder()
                .labels(
                    labels
                        .add("table", b.table())
                        .add("command", b.command())
                        .add("phase", b.phase()))
                .build());
        add(blocksDone, labels, b.blocksDone());
        add(blocksTotal, labels, b.blocksTotal());
        add(tuplesDone, labels, b.tuplesDone());
        add(tuplesTotal, labels, b.tuplesTotal());
      }
    }
    return new MetricSnapshots(
        info.build(),
        blocksDone.build(),
        blocksTotal.build(),
        tuplesDone.build(),
        tuplesTotal.build());
  }

  /**
   * Gauges, not counters: each phase starts again from 0. PostgreSQL's {@code *_total} columns are
   * {@code *_expected} here, since {@code _total} is the suffix of counters.
   */
  private static GaugeSnapshot.Builder progressGauge(String suffix, String what) {
    return gauge(
        "synapse_background_update_index_build_" + suffix,
        null,
        what
            + " by the index build of the current update, in PostgreSQL's current phase; absent"
            + " until PostgreSQL reports it."
            + REFRESH);
  }

  private static void add(GaugeSnapshot.Builder gauge, Labels labels, OptionalLong value) {
    value.ifPresent(v -> gauge.dataPoint(point(labels, v)));
  }
}
