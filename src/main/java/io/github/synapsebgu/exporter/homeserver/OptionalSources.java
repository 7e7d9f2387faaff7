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
  private Optional<SourcePoller<List<DatabaseSnapshot>>> databases = Optional.empty();

  OptionalSources(
      HomeserverConfig config,
      Clock clock,
      String userAgent,
      PollScheduler scheduler,
      Supplier<PollSnapshot> adminApi,
      PerPollRegistry perPoll) {
    SourcesConfig sources = config.sources();
    List<Supplier<? extends SourceSnapshot<?>>> health = new ArrayList<>();
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
        health.add(poller::snapshot);
        perPoll.register(new UpdaterStateCollector(poller::snapshot, clock, config.staleAfter()));
      }
      if (!sources.databases().isEmpty()) {
        List<DatabaseReader> readers = new ArrayList<>();
        for (DatabaseUrl url : sources.databases()) {
          DatabaseReader reader =
              DatabaseReader.open(url, sources.passwordFile(), DatabaseTimeouts.DEFAULTS);
          readers.add(reader);
          closeInOrder.add(reader);
        }
        SourcePoller<List<DatabaseSnapshot>> poller =
            new SourcePoller<>(
                DatabaseSourceException.SOURCE,
                List.of(DatabaseSourceException.Reason.values()),
                () -> readAll(readers),
                clock,
                config.pollInterval(),
                scheduler);
        closeInOrder.add(0, poller);
        starts.add(poller::start);
        databases = Optional.of(poller);
        health.add(poller::snapshot);
        perPoll.register(
            new DatabaseQueueCollector(poller::snapshot, adminApi, clock, config.staleAfter()));
        perPoll.register(new IndexBuildCollector(poller::snapshot, clock, config.staleAfter()));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    if (!health.isEmpty()) {
      perPoll.register(new SourceHealthCollector(health));
    }
  }

  /**
   * One poll of the database source reads every database; one that fails fails the poll (its
   * message names the database), and the last good values of all stay until stale.
   */
  private static List<DatabaseSnapshot> readAll(List<DatabaseReader> readers)
      throws DatabaseSourceException {
    List<DatabaseSnapshot> all = new ArrayList<>(readers.size());
    for (DatabaseReader reader : readers) {
      all.add(reader.read());
    }
    return all;
  }

  Optional<SourcePoller<SynapseMetrics>> metrics() {
    return metrics;
  }

  Optional<SourcePoller<List<DatabaseSnapshot>>> databases() {
    return databases;
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
