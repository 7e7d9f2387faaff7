package io.github.synapsebgu.exporter.synapse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.testing.SynapseBodies;
import java.nio.charset.StandardCharsets;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every body below is verbatim from a real Synapse 1.160 (see docs/synapse-admin-api.md). */
class StatusParserTest {

  private static StatusResponse parse(String json) throws InvalidResponseException {
    return StatusParser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsAnUpdateWhoseRateIsStillNull() throws Exception {
    var status = parse(SynapseBodies.NULL_RATE);
    assertThat(status.enabled()).isTrue();
    assertThat(status.currentUpdates())
        .containsExactly(
            java.util.Map.entry(
                "master",
                new CurrentUpdate(
                    "populate_user_directory_process_users", 0, 0.0, OptionalDouble.empty())));
  }

  @Test
  void readsAnUpdateWithARate() throws Exception {
    var status = parse(SynapseBodies.RUNNING_12);
    CurrentUpdate u = status.currentUpdates().get("master");
    assertThat(u.totalItemCount()).isEqualTo(12);
    assertThat(u.totalDurationMs()).isEqualTo(19.0);
    assertThat(u.averageItemsPerMs()).hasValue(0.6357220412595005);
  }

  @Test
  void readsAPausedUpdater() throws Exception {
    var status = parse(SynapseBodies.PAUSED);
    assertThat(status.enabled()).isFalse();
    assertThat(status.currentUpdates()).containsOnlyKeys("master");
  }

  @Test
  void readsNothingRunning() throws Exception {
    var status = parse(SynapseBodies.NOTHING);
    assertThat(status.enabled()).isTrue();
    assertThat(status.currentUpdates()).isEmpty();
  }

  @Test
  void readsTwoDatabasesSortedByName() throws Exception {
    var status =
        parse(
            "{\"enabled\":true,\"current_updates\":{"
                + "\"state_db\":{\"name\":\"state_group_state_deduplication\",\"total_item_count\":3,"
                + "\"total_duration_ms\":7.5,\"average_items_per_ms\":0.4},"
                + "\"basement\":{\"name\":\"populate_stats_process_users\",\"total_item_count\":1,"
                + "\"total_duration_ms\":3.0,\"average_items_per_ms\":0.3333333333333333}}}");
    assertThat(status.currentUpdates().keySet()).containsExactly("basement", "state_db");
  }

  @Test
  void ignoresFieldsANewerSynapseMightAdd() throws Exception {
    var status =
        parse(
            "{\"enabled\":true,\"future\":[1],\"current_updates\":{\"master\":{\"name\":\"x\","
                + "\"total_item_count\":1,\"total_duration_ms\":1,\"average_items_per_ms\":0,\"eta\":5}}}");
    assertThat(status.currentUpdates().get("master").averageItemsPerMs()).hasValue(0.0);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"current_updates\":{}}",
        "{\"enabled\":\"true\",\"current_updates\":{}}",
        "{\"enabled\":true,\"current_updates\":[]}",
        "{\"enabled\":true}",
        "{\"enabled\":true,\"current_updates\":{\"master\":{\"name\":\"x\",\"total_item_count\":\"5\","
            + "\"total_duration_ms\":1.0,\"average_items_per_ms\":null}}}",
        "{\"enabled\":true,\"current_updates\":{\"master\":{\"name\":\"x\",\"total_item_count\":5,"
            + "\"total_duration_ms\":\"1\",\"average_items_per_ms\":null}}}",
        "{\"enabled\":true,\"current_updates\":{\"master\":{\"name\":\"x\",\"total_item_count\":5,"
            + "\"total_duration_ms\":1.0,\"average_items_per_ms\":\"fast\"}}}",
        "{\"enabled\":true,\"current_updates\":{\"master\":{\"name\":\"x\",\"total_item_count\":5,"
            + "\"total_duration_ms\":1.0}}}",
        "{\"enabled\":true,\"current_updates\":{\"master\":{\"total_item_count\":5,"
            + "\"total_duration_ms\":1.0,\"average_items_per_ms\":null}}}",
        "{\"enabled\":true,\"current_updates\":{\"master\":{\"name\":\"x\",\"total_item_count\":-1,"
            + "\"total_duration_ms\":1.0,\"average_items_per_ms\":null}}}",
        "{\"enabled\":true,\"current_updates\":{\"master\":{\"name\":\"x\",\"total_item_count\":1.5,"
            + "\"total_duration_ms\":1.0,\"average_items_per_ms\":null}}}",
        "{\"enabled\":true,\"current_updates\":{\"master\":\"x\"}}",
        "[{\"enabled\":true}]",
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
        "",
        "{\"enabled\":true,\"current_updates\":{}",
      })
  void rejectsBodiesThatAreNotTheStatusShape(String body) {
    assertThatThrownBy(() -> parse(body)).isInstanceOf(InvalidResponseException.class);
  }

  @Test
  void namesTheFieldThatIsWrong() {
    assertThatThrownBy(() -> parse("{\"enabled\":true,\"current_updates\":[]}"))
        .hasMessageContaining("current_updates")
        .hasMessageContaining("array");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"enabled\":true,\"current_updates\":{\"master\":{\"name\":\"x\",\"total_item_count\":\"5\","
                        + "\"total_duration_ms\":1.0,\"average_items_per_ms\":null}}}"))
        .hasMessageContaining("current_updates[\"master\"].total_item_count");
  }
}
