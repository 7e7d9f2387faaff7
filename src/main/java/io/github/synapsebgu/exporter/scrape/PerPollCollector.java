package io.github.synapsebgu.exporter.scrape;

import io.prometheus.metrics.model.registry.MultiCollector;

/**
 * A collector whose output changes only at known moments (a poll landing, data turning stale, a new
 * JVM sample), so /metrics can write it once and reuse the bytes. The key is part of the contract:
 * a collector that cannot say when its output changes cannot be registered for reuse, and so cannot
 * be served stale.
 */
public interface PerPollCollector extends MultiCollector {
  /**
   * Everything {@link #collect()} depends on: equal keys (by {@code equals}) must give equal
   * output. Called on every scrape, before collecting, so it must be cheap.
   */
  Object cacheKey();
}
