package io.github.synapsebgu.exporter.metrics;

import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.poll.SourceSnapshot;
import io.github.synapsebgu.exporter.poll.TrackedUpdate;
import io.github.synapsebgu.exporter.source.database.DatabaseSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the database collectors show of a homeserver's databases at scrape time: each database
 * polled on its own (one that fails never hides the others' values), its last good read while
 * fresh, its queue with the update the admin API names as running now at position 0.
 */
final class FreshDatabases {
  private final List<Supplier<SourceSnapshot<DatabaseSnapshot>>> databases;
  private final Supplier<PollSnapshot> adminApi;
  private final Clock clock;
  private final long staleAfterMillis;

  FreshDatabases(
      List<Supplier<SourceSnapshot<DatabaseSnapshot>>> databases,
      Supplier<PollSnapshot> adminApi,
      Clock clock,
      Duration staleAfter) {
    this.databases = List.copyOf(databases);
    this.adminApi = adminApi;
    this.clock = clock;
    this.staleAfterMillis = staleAfter.toMillis();
  }

  /** Changes with any poll and with any database or the admin API turning stale. */
  Object cacheKey() {
    long now = clock.millis();
    Object[] snapshots = new Object[databases.size() + 1];
    Object[] fresh = new Object[databases.size() + 1];
    for (int i = 0; i < databases.size(); i++) {
      SourceSnapshot<DatabaseSnapshot> s = databases.get(i).get();
      snapshots[i] = s;
      fresh[i] = s.freshData(now, staleAfterMillis).isPresent();
    }
    PollSnapshot api = adminApi.get();
    snapshots[databases.size()] = api;
    fresh[databases.size()] = api.dataIsStale(now, staleAfterMillis);
    return SnapshotKey.of(snapshots, fresh);
  }

  /** The databases whose last good read is fresh, in configured order. */
  List<DatabaseSnapshot> now() {
    long now = clock.millis();
    Map<String, TrackedUpdate> current = currentUpdates(now);
    List<DatabaseSnapshot> all = new ArrayList<>(databases.size());
    for (Supplier<SourceSnapshot<DatabaseSnapshot>> d : databases) {
      d.get()
          .freshData(now, staleAfterMillis)
          .ifPresent(
              s -> {
                TrackedUpdate running = current.get(s.database());
                all.add(running == null ? s : s.withCurrent(running.update().name()));
              });
    }
    return all;
  }

  /** The admin API's update running now per database, while its data is fresh. */
  Map<String, TrackedUpdate> currentUpdates(long now) {
    Map<String, TrackedUpdate> current = new HashMap<>();
    PollSnapshot api = adminApi.get();
    if (!api.dataIsStale(now, staleAfterMillis)) {
      for (TrackedUpdate u : api.updates()) {
        current.put(u.database(), u);
      }
    }
    return current;
  }

  long nowMillis() {
    return clock.millis();
  }
}
