package io.github.synapsebgu.exporter.source.database;

import java.util.List;
import java.util.OptionalLong;

/**
 * What one read of one Synapse database tells.
 *
 * @param database the database's name as in Synapse's {@code databases:} config ({@code master} by
 *     default)
 * @param queue every row of {@code background_updates} in run order; empty means nothing is left
 * @param schemaVersion the schema version Synapse is at, from {@code schema_version}
 * @param indexBuilds index builds running in this database now (PostgreSQL only; empty on SQLite)
 */
public record DatabaseSnapshot(
    String database,
    List<QueuedUpdate> queue,
    OptionalLong schemaVersion,
    List<IndexBuild> indexBuilds) {
  public DatabaseSnapshot {
    queue = List.copyOf(queue);
    indexBuilds = List.copyOf(indexBuilds);
  }
}
