package io.github.synapsebgu.exporter.synapse;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answer of {@code GET /_synapse/admin/v1/background_updates/status}.
 *
 * @param currentUpdates database name (the key of Synapse's {@code databases:} config) to the
 *     update running on it, sorted by database name so the exposition is stable
 */
public record StatusResponse(boolean enabled, Map<String, CurrentUpdate> currentUpdates) {
  public StatusResponse {
    currentUpdates = Collections.unmodifiableSortedMap(new TreeMap<>(currentUpdates));
  }
}
