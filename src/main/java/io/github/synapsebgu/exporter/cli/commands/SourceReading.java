package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.source.SourceException;
import io.github.synapsebgu.exporter.source.database.DatabaseSnapshot;
import io.github.synapsebgu.exporter.source.metrics.SynapseMetrics;
import java.util.List;
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
}
