package io.github.synapsebgu.exporter.source.database;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Places the rows of {@code background_updates} in the order Synapse will run them. Synapse picks
 * the next update with {@code SELECT update_name, depends_on FROM background_updates ORDER BY
 * ordering, update_name} and takes the first row whose {@code depends_on} is empty or no longer in
 * the table (docs/synapse-admin-api.md); replaying that choice until the table is empty gives every
 * row its position.
 */
final class UpdateQueue {
  /** A row as read, with its progress already reduced to what we use. */
  record Row(String name, long ordering, String dependsOn, OptionalLong remaining) {}

  private UpdateQueue() {}

  /**
   * @param rows in the database's {@code ORDER BY ordering, update_name} order (the database's
   *     collation is the one Synapse's choice uses)
   */
  static List<QueuedUpdate> order(List<Row> rows) {
    Map<String, Row> pending = new LinkedHashMap<>();
    for (Row row : rows) {
      pending.put(row.name(), row);
    }
    List<QueuedUpdate> queue = new ArrayList<>(rows.size());
    while (!pending.isEmpty()) {
      Row next = null;
      for (Row row : pending.values()) {
        if (row.dependsOn() == null || !pending.containsKey(row.dependsOn())) {
          next = row;
          break;
        }
      }
      if (next == null) {
        // A dependency cycle: Synapse would run none of these. Keep them visible, in table order.
        next = pending.values().iterator().next();
      }
      pending.remove(next.name());
      queue.add(
          new QueuedUpdate(
              queue.size(),
              next.name(),
              next.ordering(),
              Optional.ofNullable(next.dependsOn()),
              next.remaining()));
    }
    return queue;
  }
}
