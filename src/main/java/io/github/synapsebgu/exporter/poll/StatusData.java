package io.github.synapsebgu.exporter.poll;

import java.util.List;
import java.util.Optional;

/**
 * What the last successful poll of the background-updates status left: kept while later polls fail,
 * so the values stay until they turn stale.
 *
 * @param enabled empty before the first success
 * @param updates sorted by database
 */
public record StatusData(Optional<Boolean> enabled, List<TrackedUpdate> updates) {
  public static final StatusData NONE = new StatusData(Optional.empty(), List.of());

  public StatusData {
    updates = List.copyOf(updates);
  }
}
