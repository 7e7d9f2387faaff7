package io.github.synapsebgu.exporter.source.metrics;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * What one read of Synapse's metrics endpoint tells: the updater state of each database (keyed by
 * the {@code database_name} label, which is the key of Synapse's {@code databases:} config and of
 * the status API), and the process start time when Synapse exposes it (a changed value means
 * Synapse restarted, which is what retries an aborted update).
 */
public record SynapseMetrics(
    Map<String, UpdaterState> updaterStates, OptionalDouble processStartTimeSeconds) {
  public SynapseMetrics {
    updaterStates = java.util.Collections.unmodifiableMap(new TreeMap<>(updaterStates));
  }
}
