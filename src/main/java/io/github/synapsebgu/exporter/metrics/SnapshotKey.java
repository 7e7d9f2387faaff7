package io.github.synapsebgu.exporter.metrics;

import java.util.Arrays;

/**
 * A cache key of snapshots compared by identity (each poll publishes a new one, and identity is
 * cheap) plus plain values compared by equality (whether the data is stale now).
 */
final class SnapshotKey {
  private final Object[] snapshots;
  private final Object[] values;

  private SnapshotKey(Object[] snapshots, Object[] values) {
    this.snapshots = snapshots;
    this.values = values;
  }

  static SnapshotKey of(Object[] snapshots, Object... values) {
    return new SnapshotKey(snapshots.clone(), values.clone());
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SnapshotKey k) || k.snapshots.length != snapshots.length) {
      return false;
    }
    for (int i = 0; i < snapshots.length; i++) {
      if (k.snapshots[i] != snapshots[i]) {
        return false;
      }
    }
    return Arrays.equals(values, k.values);
  }

  @Override
  public int hashCode() {
    int h = Arrays.hashCode(values);
    for (Object s : snapshots) {
      h = h * 31 + System.identityHashCode(s);
    }
    return h;
  }
}
