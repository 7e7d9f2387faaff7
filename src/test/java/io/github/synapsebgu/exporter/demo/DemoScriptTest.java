package io.github.synapsebgu.exporter.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.source.database.IndexBuild;
import io.github.synapsebgu.exporter.synapse.StatusParser;
import io.github.synapsebgu.exporter.synapse.StatusResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class DemoScriptTest {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final int POLL_INTERVAL = 15; // the default --poll.interval

  private static StatusResponse at(double seconds) throws Exception {
    return StatusParser.parse(MAPPER.writeValueAsBytes(DemoScript.statusAt(seconds)));
  }

  private static List<String> table(String database, double seconds) {
    return DemoScript.rowsAt(database, seconds).stream().map(DemoScript.Row::name).toList();
  }

  @Test
  void everyMomentOfTheCycleIsAValidSynapseAnswer() throws Exception {
    for (double t = 0; t < 2 * DemoScript.CYCLE_SECONDS; t += 0.5) {
      at(t); // throws on any shape Synapse would not send
    }
  }

  @Test
  void theCycleIsShort() {
    assertThat(DemoScript.CYCLE_SECONDS).isBetween(60, 150);
  }

  @Test
  void walksThroughEveryStateAnOperatorShouldSee() throws Exception {
    assertThat(at(1).currentUpdates()).isEmpty();
    assertThat(DemoScript.updaterStatus("master", 1)).isEqualTo(1); // not started, rows queued
    assertThat(table("master", 1)).hasSize(6);
    var fresh = at(4).currentUpdates().get("master");
    assertThat(fresh.averageItemsPerMs()).isEmpty();
    assertThat(fresh.totalItemCount()).isZero();
    var both = at(15);
    assertThat(both.currentUpdates()).containsOnlyKeys("master", "state");
    assertThat(both.currentUpdates().get("master").averageItemsPerMs()).isPresent();
    assertThat(both.currentUpdates().get("master").totalItemCount()).isPositive();
    assertThat(at(30).currentUpdates().get("master").totalItemCount()).isZero(); // an index build
    StatusResponse paused = at(52);
    assertThat(paused.enabled()).isFalse();
    assertThat(paused.currentUpdates()).isNotEmpty();
    assertThat(DemoScript.updaterStatus("master", 52)).isZero(); // disabled
    assertThat(at(110).currentUpdates()).isEmpty();
    assertThat(table("master", 110)).isEmpty();
    assertThat(DemoScript.updaterStatus("master", 110)).isEqualTo(3); // complete
    assertThat(at(DemoScript.CYCLE_SECONDS + 15)).isEqualTo(both);
  }

  @Test
  void theTableIsTheQueueSynapseRunsInOrder() throws Exception {
    // At each moment the admin API's current update is in its table, and the rows after it wait
    // for it (depends_on) or come later in Synapse's ORDER BY ordering.
    for (double t = 0; t < DemoScript.CYCLE_SECONDS; t += 1) {
      for (var e : at(t).currentUpdates().entrySet()) {
        assertThat(table(e.getKey(), t)).as("at %s", t).contains(e.getValue().name());
      }
    }
    assertThat(DemoScript.rowsAt("master", 70))
        .extracting(DemoScript.Row::dependsOn)
        .containsExactly(
            "populate_user_directory_process_rooms", "populate_user_directory_process_users");
  }

  @Test
  void itemsRemainingCountDownAsItemsAreProcessed() {
    String early = DemoScript.rowsAt("master", 75).get(0).progressJson();
    String late = DemoScript.rowsAt("master", 95).get(0).progressJson();
    assertThat(remaining(early)).isGreaterThan(remaining(late)).isPositive();
  }

  private static long remaining(String json) {
    return Long.parseLong(json.replaceAll("[^0-9]", ""));
  }

  @Test
  void onceACycleTheStateUpdaterAbortsForSeveralPollsThenARestartRetriesIt() throws Exception {
    int abortedFor = 0;
    for (int t = 0; t < DemoScript.CYCLE_SECONDS; t++) {
      if (DemoScript.updaterStatus("state", t) == -1) {
        abortedFor++;
        // As on a real Synapse: the failed update stays listed, frozen at zero.
        var listed = at(t).currentUpdates().get("state");
        assertThat(listed.name()).isEqualTo("state_groups_room_id_idx");
        assertThat(listed.totalItemCount()).isZero();
        assertThat(listed.averageItemsPerMs()).isEmpty();
        assertThat(table("state", t)).contains("state_groups_room_id_idx");
      }
    }
    assertThat(abortedFor).isGreaterThanOrEqualTo(2 * POLL_INTERVAL);
    // The restart: a new process start time, and the update runs again.
    assertThat(DemoScript.lastStartAt(DemoScript.ABORT_TO + 1))
        .isGreaterThan(DemoScript.lastStartAt(DemoScript.ABORT_TO - 1));
    assertThat(DemoScript.updaterStatus("state", DemoScript.ABORT_TO + 1)).isEqualTo(2);
    assertThat(DemoScript.updaterStatus("master", DemoScript.ABORT_FROM + 1)).isEqualTo(2);
  }

  @Test
  void anIndexBuildShowsItsProgressRisingWhileItsUpdateRuns() {
    List<IndexBuild> before = DemoScript.indexBuildsAt("state", DemoScript.ABORT_TO + 2);
    List<IndexBuild> later = DemoScript.indexBuildsAt("state", DemoScript.ABORT_TO + 12);
    assertThat(before)
        .singleElement()
        .satisfies(b -> assertThat(b.index()).isEqualTo("state_groups_room_id_idx"));
    assertThat(later.get(0).blocksDone().getAsLong())
        .isGreaterThan(before.get(0).blocksDone().getAsLong());
    assertThat(DemoScript.indexBuildsAt("state", 10)).isEmpty(); // not while another update runs
    assertThat(DemoScript.indexBuildsAt("master", 30)).isNotEmpty();
  }

  @Test
  void theDemoStartsWhereAQueueARateTimeLeftAndAnIndexBuildAreAllVisible() throws Exception {
    double t = DemoScript.START_SECONDS;
    for (double s = t; s < t + 20; s++) {
      assertThat(at(s).currentUpdates().get("master").averageItemsPerMs()).isPresent();
      assertThat(table("master", s)).hasSizeGreaterThan(1);
      assertThat(DemoScript.indexBuildsAt("state", s)).isNotEmpty();
    }
  }

  @Test
  void itemsDoNotGrowWhilePaused() throws Exception {
    long before = at(DemoScript.PAUSE_FROM + 0.5).currentUpdates().get("master").totalItemCount();
    long after = at(DemoScript.PAUSE_TO - 0.5).currentUpdates().get("master").totalItemCount();
    assertThat(after).isEqualTo(before);
    assertThat(at(DemoScript.PAUSE_TO + 5).currentUpdates().get("master").totalItemCount())
        .isGreaterThan(before);
  }
}
