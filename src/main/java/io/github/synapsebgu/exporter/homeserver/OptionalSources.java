package io.github.synapsebgu.exporter.homeserver;

import io.github.synapsebgu.exporter.config.HomeserverConfig;
import io.github.synapsebgu.exporter.config.SourcesConfig;
import io.github.synapsebgu.exporter.metrics.DatabaseQueueCollector;
import io.github.synapsebgu.exporter.metrics.IndexBuildCollector;
import io.github.synapsebgu.exporter.metrics.SourceHealthCollector;
import io.github.synapsebgu.exporter.metrics.UpdaterStateCollector;
import io.github.synapsebgu.exporter.poll.PollScheduler;
import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.poll.SourcePoller;
import io.github.synapsebgu.exporter.poll.SourceSnapshot;
import io.github.synapsebgu.exporter.scrape.PerPollRegistry;
import io.github.synapsebgu.exporter.source.database.DatabaseReader;
import io.github.synapsebgu.exporter.source.database.DatabaseSnapshot;
import io.github.synapsebgu.exporter.source.database.DatabaseSourceException;
import io.github.synapsebgu.exporter.source.database.DatabaseTimeouts;
import io.github.synapsebgu.exporter.source.database.DatabaseUrl;
import io.github.synapsebgu.exporter.source.metrics.MetricsSourceException;
import io.github.synapsebgu.exporter.source.metrics.SynapseMetrics;
import io.github.synapsebgu.exporter.source.metrics.SynapseMetricsReader;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A homeserver's optional sources besides its admin API: Synapse's metrics endpoint and its
 * databases, each source with a poll loop of its own, and their collectors. Nothing here exists (no
 * reader, no driver class, no series) for a source that is not configured.
 */
final class OptionalSources implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OptionalSources.class);

  private final List<AutoCloseable> closeInOrder = new ArrayList<>();
  private final List<Consumer<Duration>> starts = new ArrayList<>();
  private Optional<SourcePoller<SynapseMetrics>> metrics = Optional.empty();
  private final List<SourcePoller<DatabaseSnapshot>> databases = new ArrayList<>();

  OptionalSources(
      HomeserverConfig config,
      Clock clock,
      String userAgent,
      PollScheduler scheduler,
      Supplier<PollSnapshot> adminApi,
      PerPollRegistry perPoll) {
    SourcesConfig sources = config.sources();
    List<SourceHealthCollector.Source> health = new ArrayList<>();
    try {
      if (sources.metricsUrl().isPresent()) {
        SynapseMetricsReader reader =
            SynapseMetricsReader.open(
                sources.metricsUrl().get().toString(),
                config.timeout(),
                SynapseMetricsReader.DEFAULT_MAX_BODY_BYTES,
                userAgent);
        closeInOrder.add(reader);
        SourcePoller<SynapseMetrics> poller =
            new SourcePoller<>(
                MetricsSourceException.SOURCE,
                List.of(MetricsSourceException.Reason.values()),
                reader::read,
                clock,
                config.pollInterval(),
                scheduler);
        closeInOrder.add(0, poller);
        starts.add(poller::start);
        metrics = Optional.of(poller);
        health.add(SourceHealthCollector.Source.of(poller::snapshot));
        perPoll.register(new UpdaterStateCollector(poller::snapshot, clock, config.staleAfter()));
      }
      // One poll loop per database: one that is down or locked fails alone, with its own up
      // gauge and errors, and never hides the others' values.
      List<Supplier<SourceSnapshot<DatabaseSnapshot>>> snapshots = new ArrayList<>();
      for (DatabaseUrl url : sources.databases()) {
        DatabaseReader reader =
            DatabaseReader.open(url, sources.passwordFile(), DatabaseTimeouts.DEFAULTS);
        closeInOrder.add(reader);
        SourcePoller<DatabaseSnapshot> poller =
            new SourcePoller<>(
                DatabaseSourceException.SOURCE,
                List.of(DatabaseSourceException.Reason.values()),
                reader::read,
                clock,
                config.pollInterval(),
                scheduler);
        closeInOrder.add(0, poller);
        starts.add(poller::start);
        databases.add(poller);
        snapshots.add(poller::snapshot);
        health.add(new SourceHealthCollector.Source(poller::snapshot, Optional.of(url.name())));
      }
      if (!snapshots.isEmpty()) {
        perPoll.register(
            new DatabaseQueueCollector(snapshots, adminApi, clock, config.staleAfter()));
        perPoll.register(new IndexBuildCollector(snapshots, adminApi, clock, config.staleAfter()));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    if (!health.isEmpty()) {
      perPoll.register(new SourceHealthCollector(health));
    }
  }

  Optional<SourcePoller<SynapseMetrics>> metrics() {
    return metrics;
  }

  /** One per database, in configured order. */
  List<SourcePoller<DatabaseSnapshot>> databases() {
    return List.copyOf(databases);
  }

  /** The first reads after {@code firstDelay} (the homeserver's spread offset). */
  void start(Duration firstDelay) {
    starts.forEach(s -> s.accept(firstDelay));
  }

  /** The pollers first (no read starts any more), then the readers. */
  @Override
  public void close() {
    for (AutoCloseable c : closeInOrder) {
      try {
        c.close();
      } catch (Exception e) {
        log.atDebug().setCause(e).log("Error while closing a source");
      }
    }
  }
}
