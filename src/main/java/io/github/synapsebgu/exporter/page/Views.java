package io.github.synapsebgu.exporter.page;

import io.github.synapsebgu.exporter.homeserver.Homeserver;
import io.github.synapsebgu.exporter.page.HomeserverView.DatabaseView;
import io.github.synapsebgu.exporter.page.HomeserverView.Failure;
import io.github.synapsebgu.exporter.page.HomeserverView.IndexProgress;
import io.github.synapsebgu.exporter.page.HomeserverView.Queued;
import io.github.synapsebgu.exporter.page.HomeserverView.Running;
import io.github.synapsebgu.exporter.page.HomeserverView.SourceHealth;
import io.github.synapsebgu.exporter.page.Series.Point;
import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.poll.PollSnapshot.PollFailure;
import io.github.synapsebgu.exporter.poll.SourceSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds a {@link HomeserverView} from what the homeserver's collectors give /metrics now (so a
 * stale value is hidden here exactly when it is there, and the time left is the same division),
 * plus its pollers' last failure reasons. Never calls Synapse.
 */
final class Views {
  private static final String P = "synapse_background_update";
  private static final String PS = "synapse_background_updates";
  private static final String PAUSE_EXPIRY = PS + "_pause_expiry_timestamp_seconds";

  private final QueueHighWater highWater;
  // The last view of each homeserver and what it was built from: with thousands of homeservers,
  // most have not polled since the last refresh, and collecting their series is the page's cost.
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(
      Homeserver homeserver, Object key, OptionalDouble pause, HomeserverView view) {}

  Views(QueueHighWater highWater) {
    this.highWater = highWater;
  }

  /** The view of {@code h} now: rebuilt only when its series would differ. */
  HomeserverView of(Homeserver h) {
    Object key = h.currentMetricsKey();
    // The admin API's per-scrape series (the timed pause's end) are few: read them every time.
    OptionalDouble pause =
        new Series(h.perScrape().scrape(n -> n.equals(PAUSE_EXPIRY))).value(PAUSE_EXPIRY);
    Cached c = cache.get(h.name());
    if (c != null && c.homeserver() == h && c.key().equals(key) && c.pause().equals(pause)) {
      return c.view();
    }
    HomeserverView view = build(h);
    cache.put(h.name(), new Cached(h, key, pause, view));
    return view;
  }

  /** Forgets the homeservers that are not configured any more. */
  void retain(Set<String> names) {
    cache.keySet().retainAll(names);
  }

  private HomeserverView build(Homeserver h) {
    Series s = new Series(h.currentMetrics());
    PollSnapshot api = h.poller().snapshot();
    List<Failure> failures = new ArrayList<>();
    if (api.firstPollDone() && !api.up()) {
      api.lastFailure().ifPresent(f -> failures.add(failure(f)));
    }
    h.metricsSource().ifPresent(p -> sourceFailure(p.snapshot(), failures));
    h.databaseSources().forEach(p -> sourceFailure(p.snapshot(), failures));
    List<SourceHealth> sources = new ArrayList<>();
    for (Point p : s.all(PS + "_source_up")) {
      // The database source is per database (one failing database is named, the others stay up).
      String db = p.label("database");
      String source = db.isEmpty() ? p.label("source") : p.label("source") + " " + db;
      sources.add(new SourceHealth(source, p.value() == 1));
    }
    OptionalDouble enabled = s.value(PS + "_enabled");
    List<DatabaseView> databases = databases(h.name(), s);
    Optional<Boolean> on =
        enabled.isPresent() ? Optional.of(enabled.getAsDouble() == 1) : Optional.empty();
    return new HomeserverView(
        h.name(),
        state(api.firstPollDone(), failures, on, s, databases),
        api.firstPollDone(),
        s.value(PS + "_up").orElse(0) == 1,
        on,
        s.value(PAUSE_EXPIRY),
        s.value(PS + "_last_poll_success_timestamp_seconds").orElse(0),
        s.value(PS + "_poll_duration_seconds").orElse(0),
        failures,
        sources,
        databases);
  }

  private static Failure failure(PollFailure f) {
    return new Failure(
        f.source(), f.reason().label(), ReasonHints.hint(f.reason()), f.epochMillis());
  }

  private static void sourceFailure(SourceSnapshot<?> snapshot, List<Failure> out) {
    if (snapshot.firstPollDone() && !snapshot.up()) {
      snapshot.lastFailure().ifPresent(f -> out.add(failure(f)));
    }
  }

  private static FleetState state(
      boolean firstPollDone,
      List<Failure> failures,
      Optional<Boolean> enabled,
      Series s,
      List<DatabaseView> databases) {
    if (!firstPollDone) {
      return FleetState.STARTING;
    }
    if (!failures.isEmpty()) {
      return FleetState.FAILING;
    }
    if (databases.stream().anyMatch(d -> d.updaterState().filter("aborted"::equals).isPresent())) {
      return FleetState.ABORTED;
    }
    if (enabled.isPresent() && !enabled.get()) {
      return FleetState.PAUSED;
    }
    boolean busy =
        s.value(PS + "_in_progress").orElse(0) > 0
            || databases.stream().anyMatch(d -> d.pending().orElse(0) > 0)
            || databases.stream()
                .anyMatch(
                    d ->
                        !d.updaterState().filter("complete"::equals).isPresent()
                            && d.updaterState().isPresent());
    return busy ? FleetState.RUNNING : FleetState.SAFE;
  }

  private List<DatabaseView> databases(String homeserver, Series s) {
    TreeSet<String> names = new TreeSet<>();
    for (String metric : List.of(P + "_items_processed", PS + "_pending", PS + "_updater_state")) {
      s.all(metric).forEach(p -> names.add(p.label("database")));
    }
    List<DatabaseView> out = new ArrayList<>();
    for (String db : names) {
      OptionalDouble pendingValue = s.value(PS + "_pending", "database", db);
      OptionalLong pending =
          pendingValue.isPresent()
              ? OptionalLong.of((long) pendingValue.getAsDouble())
              : OptionalLong.empty();
      OptionalDouble schema = s.value(PS + "_schema_version", "database", db);
      out.add(
          new DatabaseView(
              db,
              s.all(PS + "_updater_state").stream()
                  .filter(p -> p.label("database").equals(db) && p.value() == 1)
                  .map(p -> p.label("state"))
                  .findFirst(),
              running(s, db),
              pending,
              highWater.doneSinceFirstSeen(homeserver, db, pending),
              schema.isPresent()
                  ? OptionalLong.of((long) schema.getAsDouble())
                  : OptionalLong.empty(),
              queue(s, db),
              indexBuilds(s, db)));
    }
    return out;
  }

  private static Optional<Running> running(Series s, String db) {
    Optional<Point> items = s.find(P + "_items_processed", "database", db);
    if (items.isEmpty()) {
      return Optional.empty();
    }
    String update = items.get().label("update");
    String[] key = {"database", db, "update", update};
    return Optional.of(
        new Running(
            db,
            update,
            items.get().value(),
            s.value(P + "_items_per_second", key),
            s.value(P + "_duration_seconds", key).orElse(0),
            s.value(P + "_last_progress_timestamp_seconds", key).orElse(0),
            s.value(P + "_items_remaining", key),
            s.value(P + "_estimated_remaining_seconds", key)));
  }

  private static List<Queued> queue(Series s, String db) {
    List<Queued> out = new ArrayList<>();
    for (Point info : s.all(P)) {
      if (!info.label("database").equals(db)) {
        continue;
      }
      String update = info.label("update");
      String[] key = {"database", db, "update", update};
      String dependsOn = info.label("depends_on");
      out.add(
          new Queued(
              (long) s.value(P + "_queue_position", key).orElse(0),
              update,
              (long) s.value(P + "_ordering", key).orElse(0),
              dependsOn.isEmpty() ? Optional.empty() : Optional.of(dependsOn),
              s.value(P + "_items_remaining", key)));
    }
    out.sort(java.util.Comparator.comparingLong(Queued::position));
    return out;
  }

  private static List<IndexProgress> indexBuilds(Series s, String db) {
    List<IndexProgress> out = new ArrayList<>();
    for (Point info : s.all(P + "_index_build")) {
      if (!info.label("database").equals(db)) {
        continue;
      }
      String[] key = {"database", db, "update", info.label("update"), "index", info.label("index")};
      out.add(
          new IndexProgress(
              info.label("update"),
              info.label("index"),
              info.label("table"),
              info.label("phase"),
              s.value(P + "_index_build_blocks_done", key),
              s.value(P + "_index_build_blocks_expected", key),
              s.value(P + "_index_build_tuples_done", key),
              s.value(P + "_index_build_tuples_expected", key)));
    }
    return out;
  }
}
