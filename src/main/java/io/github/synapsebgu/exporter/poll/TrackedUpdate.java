package io.github.synapsebgu.exporter.poll;

import io.github.synapsebgu.exporter.synapse.CurrentUpdate;

/**
 * The update running on one database, with what the exporter itself observed about it.
 *
 * @param lastProgressEpochMillis when the exporter last saw {@code total_item_count} grow, or first
 *     saw this update
 */
public record TrackedUpdate(String database, CurrentUpdate update, long lastProgressEpochMillis) {

  /**
   * The next observation of the same database. A new update name, or a count that went down
   * (Synapse restarted and its in-memory counters began again), starts the clock anew.
   */
  static TrackedUpdate next(
      TrackedUpdate previous, String database, CurrentUpdate now, long nowMillis) {
    if (previous == null
        || !previous.update().name().equals(now.name())
        || now.totalItemCount() != previous.update().totalItemCount()) {
      return new TrackedUpdate(database, now, nowMillis);
    }
    return new TrackedUpdate(database, now, previous.lastProgressEpochMillis());
  }
}
