package io.github.synapsebgu.exporter.scrape;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The collectors whose exposition {@link ScrapeEndpoint} writes once per combined key, and that
 * key: the list of their own keys, so any collector's change (or a collector registered later)
 * re-renders.
 */
public final class PerPollRegistry {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final List<PerPollCollector> collectors = new CopyOnWriteArrayList<>();

  /**
   * Adds a collector, also while scrapes run. It joins the registry before the key: a scrape in
   * between writes it under the old key, which only makes the next scrape write it again.
   */
  public void register(PerPollCollector collector) {
    registry.register(collector);
    collectors.add(collector);
  }

  /** Equal values mean the collectors would write the same bytes. */
  public Object cacheKey() {
    List<Object> keys = new ArrayList<>(collectors.size());
    for (PerPollCollector c : collectors) {
      keys.add(c.cacheKey());
    }
    return keys;
  }

  /**
   * What the collectors whose names pass {@code names} give now: the values /metrics writes, for
   * another view of them (the status page).
   */
  public MetricSnapshots scrape(Predicate<String> names) {
    return registry.scrape(names);
  }

  PrometheusRegistry registry() {
    return registry;
  }
}
