package io.github.synapsebgu.exporter.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the simulated homeserver reports at a given moment of its cycle, in the exact JSON shape a
 * real Synapse 1.160 sends. A pure function of the time since the cycle began, so it is easy to
 * test.
 *
 * <p>The cycle: nothing (updater not started yet), updates on {@code master} and {@code state} that
 * begin with a null rate, a pause, a resumed run, then nothing, and again.
 */
final class DemoScript {
  static final int CYCLE_SECONDS = 240;

  private record Step(int from, int to, String database, String name, double itemsPerSecond) {}

  // A handful of real update names from Synapse's main and state stores.
  private static final Step[] STEPS = {
    new Step(10, 70, "master", "populate_stats_process_rooms", 8),
    new Step(70, 100, "master", "event_search_fts_index", 0),
    new Step(100, 190, "master", "populate_user_directory_process_users", 5),
    new Step(20, 110, "state", "state_group_state_deduplication", 3),
    new Step(110, 150, "state", "state_groups_room_id_idx", 0),
  };
  private static final int PAUSE_FROM = 130;
  private static final int PAUSE_TO = 150;
  // Synapse's rate is null until the first item is processed.
  private static final int NULL_RATE_SECONDS = 5;

  private DemoScript() {}

  static Map<String, Object> statusAt(double secondsIntoCycle) {
    double t = secondsIntoCycle % CYCLE_SECONDS;
    boolean paused = t >= PAUSE_FROM && t < PAUSE_TO;
    Map<String, Object> updates = new LinkedHashMap<>();
    for (Step step : STEPS) {
      if (t < step.from || t >= step.to) {
        continue;
      }
      // Time spent running: the clock stops while paused.
      double running = Math.max(0, t - step.from - pausedWithin(step.from, t));
      double busy = Math.max(0, running - NULL_RATE_SECONDS);
      long items = (long) Math.floor(busy * step.itemsPerSecond);
      Map<String, Object> update = new LinkedHashMap<>();
      update.put("name", step.name);
      update.put("total_item_count", items);
      // Synapse counts only time spent in batches, not the sleeps between them: about a fifth here.
      update.put("total_duration_ms", Math.floor(running * 200.0));
      update.put(
          "average_items_per_ms", running < NULL_RATE_SECONDS ? null : step.itemsPerSecond / 200.0);
      updates.put(step.database, update);
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("enabled", !paused);
    status.put("current_updates", updates);
    return status;
  }

  private static double pausedWithin(double from, double to) {
    double start = Math.max(from, PAUSE_FROM);
    double end = Math.min(to, PAUSE_TO);
    return Math.max(0, end - start);
  }
}
