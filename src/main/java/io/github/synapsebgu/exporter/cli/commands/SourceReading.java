package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.source.SourceException;
import io.github.synapsebgu.exporter.source.database.DatabaseSnapshot;
import io.github.synapsebgu.exporter.source.metrics.SynapseMetrics;
import io.github.synapsebgu.exporter.synapse.CurrentUpdate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One poll of {@code wait}'s optional sources: for each configured source either what it read or
 * why it failed; both empty for a source not configured.
 */
public record SourceReading(
    Optional<SynapseMetrics> metrics,
    Optional<SourceException> metricsFailure,
    Optional<List<DatabaseSnapshot>> databases,
    Optional<SourceException> databaseFailure) {
  public static final SourceReading NONE =
      new SourceReading(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  /** Each queue with the update the admin API names as current at position 0 (see there). */
  public SourceReading withCurrent(Map<String, CurrentUpdate> current) {
    return new SourceReading(
        metrics,
        metricsFailure,
        databases.map(
            all ->
                all.stream()
                    .map(
                        d ->
                            current.containsKey(d.database())
                                ? d.withCurrent(current.get(d.database()).name())
                                : d)
                    .toList()),
        databaseFailure);
  }
}
