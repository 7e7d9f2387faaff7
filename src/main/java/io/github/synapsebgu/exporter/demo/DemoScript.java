package io.github.synapsebgu.exporter.demo;

import io.github.synapsebgu.exporter.source.database.IndexBuild;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What the simulated homeserver is doing at a given moment of its cycle: its admin API's answer
 * (the exact JSON shape of a real Synapse 1.160), its {@code background_updates} rows, its updater
 * state per database (its metrics endpoint) and the index build in progress. A pure function of the
 * time since the cycle began, so it is easy to test.
 *
 * <p>The cycle, as after an upgrade: every row is queued at its start; on {@code master} a stats
 * update, an index build, then the user directory chain ({@code depends_on}, items remaining); on
 * {@code state} a deduplication, then an index build that fails five times: the updater aborts
 * (admin API: the failed update, frozen at 0 items) until a "restart" retries it. A short pause,
 * then nothing left (complete), and again.
 */
final class DemoScript {
  static final int CYCLE_SECONDS = 130;

  /** Where a demo starts: updates with a rate and items left, an index build, a queue. */
  static final int START_SECONDS = 74;

  /** The state database's updater aborts here and "Synapse restarts" at ABORT_TO. */
  static final int ABORT_FROM = 33;

  static final int ABORT_TO = 68;
  static final int PAUSE_FROM = 50;
  static final int PAUSE_TO = 56;

  /** The schema version the demo's databases are at. */
  static final long SCHEMA_VERSION = 92;

  // Synapse's rate is null until the first item is processed.
  private static final int NULL_RATE_SECONDS = 5;

  /**
   * One update: it runs in [from, to); its row is in the table from the cycle's start until {@code
   * to}. An index build reports 0 items (one CREATE INDEX) and has simulated PostgreSQL progress.
   */
  record Step(
      int from,
      int to,
      String database,
      String name,
      long ordering,
      String dependsOn,
      double itemsPerSecond,
      boolean remaining,
      String indexOn) {
    boolean indexBuild() {
      return indexOn != null;
    }
  }

  private static final String ROOMS = "populate_user_directory_process_rooms";
  private static final String USERS = "populate_user_directory_process_users";
  private static final String CREATE = "populate_user_directory_createtables";

  // Real update names from Synapse's main and state stores; orderings are schema version x 100 + n.
  static final List<Step> STEPS =
      List.of(
          new Step(3, 20, "master", "populate_stats_process_rooms", 9101, null, 8, false, null),
          new Step(
              20, 40, "master", "event_search_event_id_idx", 9102, null, 0, false, "event_search"),
          new Step(40, 43, "master", CREATE, 9201, null, 1, false, null),
          new Step(43, 68, "master", ROOMS, 9201, CREATE, 5, true, null),
          new Step(68, 100, "master", USERS, 9201, ROOMS, 4, true, null),
          new Step(
              100, 103, "master", "populate_user_directory_cleanup", 9201, USERS, 1, false, null),
          new Step(
              5,
              ABORT_FROM - 3,
              "state",
              "state_group_state_deduplication",
              9103,
              null,
              3,
              false,
              null),
          // Fails from ABORT_FROM - 3, aborted from ABORT_FROM; retried after the restart.
          new Step(
              ABORT_TO,
              100,
              "state",
              "state_groups_room_id_idx",
              9202,
              null,
              0,
              false,
              "state_groups"));

  /** A row of {@code background_updates}. */
  record Row(String name, String progressJson, String dependsOn, long ordering) {}

  private DemoScript() {}

  private static double inCycle(double seconds) {
    return ((seconds % CYCLE_SECONDS) + CYCLE_SECONDS) % CYCLE_SECONDS;
  }

  static boolean paused(double seconds) {
    double t = inCycle(seconds);
    return t >= PAUSE_FROM && t < PAUSE_TO;
  }

  /** Whether {@code database}'s updater has aborted at this moment. */
  static boolean aborted(String database, double seconds) {
    double t = inCycle(seconds);
    return database.equals("state") && t >= ABORT_FROM && t < ABORT_TO;
  }

  /** The failing update, listed by the admin API from its first failure until the restart. */
  private static boolean failing(String database, double t) {
    return database.equals("state") && t >= ABORT_FROM - 3 && t < ABORT_TO;
  }

  private static Step failingStep() {
    return STEPS.get(STEPS.size() - 1);
  }

  static Map<String, Object> statusAt(double seconds) {
    double t = inCycle(seconds);
    Map<String, Object> updates = new LinkedHashMap<>();
    for (Step step : STEPS) {
      if (t >= step.from && t < step.to) {
        double running = running(step, t);
        Map<String, Object> update = new LinkedHashMap<>();
        update.put("name", step.name);
        update.put("total_item_count", items(step, t));
        // Synapse counts only time spent in batches, not the sleeps between them: about a fifth.
        update.put("total_duration_ms", Math.floor(running * 200.0));
        update.put(
            "average_items_per_ms",
            running < NULL_RATE_SECONDS ? null : step.itemsPerSecond / 200.0);
        updates.put(step.database, update);
      }
    }
    if (failing("state", t)) {
      // As measured: the failed update stays listed, unchanged, until Synapse restarts.
      Map<String, Object> update = new LinkedHashMap<>();
      update.put("name", failingStep().name);
      update.put("total_item_count", 0);
      update.put("total_duration_ms", 0.0);
      update.put("average_items_per_ms", null);
      updates.put("state", update);
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("enabled", !paused(t));
    status.put("current_updates", updates);
    return status;
  }

  /** The rows of {@code database}'s {@code background_updates} table at this moment. */
  static List<Row> rowsAt(String database, double seconds) {
    double t = inCycle(seconds);
    List<Row> rows = new ArrayList<>();
    for (Step step : STEPS) {
      if (step.database.equals(database) && t < step.to) {
        String progress = "{}";
        if (step.remaining) {
          progress = "{\"remaining\": " + (items(step, step.to) - items(step, t)) + "}";
        }
        rows.add(new Row(step.name, progress, step.dependsOn, step.ordering));
      }
    }
    return rows;
  }

  /**
   * Synapse's {@code synapse_background_update_status} for {@code database}: -1 aborted, 0
   * disabled, 1 not started, 2 running, 3 complete.
   */
  static int updaterStatus(String database, double seconds) {
    double t = inCycle(seconds);
    if (aborted(database, t)) {
      return -1;
    }
    if (paused(t)) {
      return 0;
    }
    int first = Integer.MAX_VALUE;
    int last = 0;
    for (Step step : STEPS) {
      if (step.database.equals(database)) {
        first = Math.min(first, step.from);
        last = Math.max(last, step.to);
      }
    }
    return t < first ? 1 : t < last ? 2 : 3;
  }

  /**
   * When Synapse last (re)started, in seconds since the demo began: the abort's end restarts it.
   */
  static double lastStartAt(double seconds) {
    double cycleStart = seconds - inCycle(seconds);
    double restart =
        inCycle(seconds) >= ABORT_TO
            ? cycleStart + ABORT_TO
            : cycleStart - CYCLE_SECONDS + ABORT_TO;
    return Math.max(0, restart);
  }

  /**
   * The index build running in {@code database} now, as {@code pg_stat_progress_create_index} would
   * show it: blocks scanned, then tuples loaded into the tree.
   */
  static List<IndexBuild> indexBuildsAt(String database, double seconds) {
    double t = inCycle(seconds);
    for (Step step : STEPS) {
      if (step.database.equals(database) && step.indexBuild() && t >= step.from && t < step.to) {
        double done = running(step, t) / running(step, step.to);
        long blocks = 40_000;
        long tuples = 3_000_000;
        if (done < 0.6) {
          return List.of(
              new IndexBuild(
                  step.indexOn,
                  step.name,
                  "CREATE INDEX CONCURRENTLY",
                  "building index: scanning table",
                  OptionalLong.of(Math.round(blocks * done / 0.6)),
                  OptionalLong.of(blocks),
                  OptionalLong.of(0),
                  OptionalLong.of(0)));
        }
        return List.of(
            new IndexBuild(
                step.indexOn,
                step.name,
                "CREATE INDEX CONCURRENTLY",
                "building index: loading tuples in tree",
                OptionalLong.of(blocks),
                OptionalLong.of(blocks),
                OptionalLong.of(Math.round(tuples * (done - 0.6) / 0.4)),
                OptionalLong.of(tuples)));
      }
    }
    return List.of();
  }

  /** Time spent running by {@code t}: the clock stops while paused. */
  private static double running(Step step, double t) {
    double end = Math.min(t, step.to);
    double start = Math.max(step.from, PAUSE_FROM);
    double stop = Math.min(end, PAUSE_TO);
    return Math.max(0, end - step.from - Math.max(0, stop - start));
  }

  private static long items(Step step, double t) {
    double busy = Math.max(0, running(step, t) - NULL_RATE_SECONDS);
    return (long) Math.floor(busy * step.itemsPerSecond);
  }
}
