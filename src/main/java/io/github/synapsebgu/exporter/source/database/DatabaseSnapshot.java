package io.github.synapsebgu.exporter.source.database;

import java.util.ArrayList;
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

  /**
   * This snapshot with {@code current} (the update the admin API names as running now in this
   * database) at position 0 when it is in the table, the rest renumbered in Synapse's order. The
   * table's order is Synapse's plan for what runs next; the admin API is the truth of what runs now
   * (a job started by hand, or an update picked before a row with a lower ordering was inserted).
   */
  public DatabaseSnapshot withCurrent(String current) {
    if (queue.isEmpty() || queue.get(0).name().equals(current)) {
      return this;
    }
    QueuedUpdate running = null;
    List<QueuedUpdate> rest = new ArrayList<>(queue.size());
    for (QueuedUpdate u : queue) {
      if (running == null && u.name().equals(current)) {
        running = u;
      } else {
        rest.add(u);
      }
    }
    if (running == null) {
      return this;
    }
    rest.add(0, running);
    List<QueuedUpdate> renumbered = new ArrayList<>(rest.size());
    for (QueuedUpdate u : rest) {
      renumbered.add(
          new QueuedUpdate(
              renumbered.size(), u.name(), u.ordering(), u.dependsOn(), u.remaining()));
    }
    return new DatabaseSnapshot(database, renumbered, schemaVersion, indexBuilds);
  }
}
