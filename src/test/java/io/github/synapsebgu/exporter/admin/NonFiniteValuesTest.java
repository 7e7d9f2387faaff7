package io.github.synapsebgu.exporter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.SynapseAnswers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A finite upstream rate that becomes infinite per second is refused, never shown (item 7). */
class NonFiniteValuesTest extends AdminApiTest {
  @Test
  void a_rate_of_1e308_items_per_ms_is_an_invalid_response_on_metrics_and_status()
      throws Exception {
    h = AdminHarness.start(dir);
    h.synapse.script(
        SynapseAnswers.json(
            200,
            "{\"enabled\":true,\"current_updates\":{\"master\":{\"name\":"
                + "\"populate_stats_process_rooms\",\"total_item_count\":12,"
                + "\"total_duration_ms\":19.0,\"average_items_per_ms\":1e308}}}"));

    h.poller.pollNow().get();

    String metrics = h.metrics();
    assertThat(metrics).doesNotContain("Inf").doesNotContain("NaN");
    // The last good value stays (as after any failed poll) instead of +Inf.
    assertThat(metrics)
        .contains(
            "synapse_background_update_items_per_second{database=\"master\","
                + "update=\"populate_stats_process_rooms\"} 635.72");
    String body = h.get("/api/v1/status").body();
    assertThat(body).doesNotContain("Infinity");
    JsonNode error = AdminHarness.json(body).get("poll").get("last_error");
    assertThat(error.get("reason").stringValue()).isEqualTo("invalid_response");
    assertThat(error.get("message").stringValue())
        .contains("average_items_per_ms is too large to export per second");
  }
}
