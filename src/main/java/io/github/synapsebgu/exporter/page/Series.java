package io.github.synapsebgu.exporter.page;

import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One homeserver's series as its collectors computed them for /metrics, looked up by name and
 * labels: the page reads these values rather than computing its own, so it can never disagree.
 * Names are as exposed, without the {@code _total} and {@code _info} suffixes of the text format.
 */
final class Series {
  /** One data point: its labels and value (1 for an info series). */
  record Point(Labels labels, double value) {
    String label(String name) {
      String v = labels.get(name);
      return v == null ? "" : v;
    }
  }

  private final Map<String, List<Point>> byName = new HashMap<>();

  Series(MetricSnapshots snapshots) {
    for (MetricSnapshot m : snapshots) {
      List<Point> points = new ArrayList<>();
      for (DataPointSnapshot p : m.getDataPoints()) {
        points.add(new Point(p.getLabels(), valueOf(p)));
      }
      byName.put(m.getMetadata().getPrometheusName(), points);
    }
  }

  private static double valueOf(DataPointSnapshot p) {
    if (p instanceof GaugeDataPointSnapshot g) {
      return g.getValue();
    }
    if (p instanceof CounterDataPointSnapshot c) {
      return c.getValue();
    }
    return 1; // info
  }

  List<Point> all(String name) {
    return byName.getOrDefault(name, List.of());
  }

  /** The first point of {@code name} whose labels include every given name/value pair. */
  Optional<Point> find(String name, String... labelPairs) {
    for (Point p : all(name)) {
      if (matches(p.labels(), labelPairs)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  OptionalDouble value(String name, String... labelPairs) {
    Optional<Point> p = find(name, labelPairs);
    return p.isPresent() ? OptionalDouble.of(p.get().value()) : OptionalDouble.empty();
  }

  private static boolean matches(Labels labels, String[] pairs) {
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
        return false;
      }
    }
    return true;
  }
}
