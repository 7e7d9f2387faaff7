package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.config.ConfigException;
import io.github.synapsebgu.exporter.config.FlagCatalog;
import io.github.synapsebgu.exporter.config.SourcesConfig;
import io.github.synapsebgu.exporter.source.SourceException;
import io.github.synapsebgu.exporter.source.database.DatabaseReader;
import io.github.synapsebgu.exporter.source.database.DatabaseSnapshot;
import io.github.synapsebgu.exporter.source.database.DatabaseTimeouts;
import io.github.synapsebgu.exporter.source.database.DatabaseUrl;
import io.github.synapsebgu.exporter.source.metrics.SynapseMetrics;
import io.github.synapsebgu.exporter.source.metrics.SynapseMetricsReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The optional sources of {@code wait} and {@code status}, read once per poll; nothing is opened
 * for one not given.
 */
final class CommandSources implements AutoCloseable {
  private final Optional<SynapseMetricsReader> metrics;
  private final List<DatabaseReader> databases;

  private CommandSources(Optional<SynapseMetricsReader> metrics, List<DatabaseReader> databases) {
    this.metrics = metrics;
    this.databases = databases;
  }

  static CommandSources open(SourcesConfig config, Duration timeout, String userAgent)
      throws ConfigException {
    Optional<SynapseMetricsReader> metrics = Optional.empty();
    if (config.metricsUrl().isPresent()) {
      try {
        metrics =
            Optional.of(
                SynapseMetricsReader.open(
                    config.metricsUrl().get().toString(),
                    timeout,
                    SynapseMetricsReader.DEFAULT_MAX_BODY_BYTES,
                    userAgent));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(FlagCatalog.SYNAPSE_METRICS_URL.name(), e.getMessage());
      }
    }
    List<DatabaseReader> databases = new ArrayList<>();
    for (DatabaseUrl url : config.databases()) {
      databases.add(DatabaseReader.open(url, config.passwordFile(), DatabaseTimeouts.DEFAULTS));
    }
    return new CommandSources(metrics, databases);
  }

  SourceReading read() {
    Optional<SynapseMetrics> read = Optional.empty();
    Optional<SourceException> metricsFailure = Optional.empty();
    if (metrics.isPresent()) {
      try {
        read = Optional.of(metrics.get().read());
      } catch (SourceException e) {
        metricsFailure = Optional.of(e);
      }
    }
    Optional<List<DatabaseSnapshot>> tables = Optional.empty();
    Optional<SourceException> databaseFailure = Optional.empty();
    if (!databases.isEmpty()) {
      try {
        List<DatabaseSnapshot> all = new ArrayList<>();
        for (DatabaseReader reader : databases) {
          all.add(reader.read());
        }
        tables = Optional.of(all);
      } catch (SourceException e) {
        databaseFailure = Optional.of(e);
      }
    }
    return new SourceReading(read, metricsFailure, tables, databaseFailure);
  }

  @Override
  public void close() {
    metrics.ifPresent(
        m -> {
          try {
            m.close();
          } catch (java.io.IOException e) {
            // nothing left to do: the command ends
          }
        });
    databases.forEach(DatabaseReader::close);
  }
}
