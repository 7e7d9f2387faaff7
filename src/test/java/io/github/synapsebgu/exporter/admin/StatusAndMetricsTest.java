package io.github.synapsebgu.exporter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.poll.PollSnapshot;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class StatusAndMetricsTest extends AdminApiTest {
  private static final String REQUESTS = "synapse_background_updates_admin_requests_total";

  private Optional<Double> requests(String action, String outcome) {
    return h.metric(REQUESTS + "{action=\"" + action + "\",outcome=\"" + outcome + "\"}");
  }

  @Test
  void statusShowsTheLastSnapshot() throws IOException {
    h = AdminHarness.start(dir);

    JsonNode s = AdminHarness.json(h.get("/api/v1/status"));

    assertThat(s.get("enabled").booleanValue()).isTrue();
    JsonNode update = s.get("current_updates").get(0);
    assertThat(update.get("database").stringValue()).isEqualTo("master");
    assertThat(update.get("update").stringValue()).isEqualTo("populate_stats_process_rooms");
    assertThat(update.get("items_processed").longValue()).isEqualTo(12);
    assertThat(update.get("duration_seconds").doubleValue()).isEqualTo(0.019);
    assertThat(update.get("items_per_second").doubleValue())
        .isCloseTo(635.722, org.assertj.core.data.Offset.offset(0.001));
    assertThat(Instant.parse(update.get("last_progress").stringValue())).isBefore(Instant.now());
    JsonNode poll = s.get("poll");
    assertThat(poll.get("up").booleanValue()).isTrue();
    assertThat(poll.get("stale").booleanValue()).isFalse();
    assertThat(Instant.parse(poll.get("last_success").stringValue())).isBefore(Instant.now());
    assertThat(poll.get("last_error").isNull()).isTrue();
    assertThat(s.get("timed_pause").isNull()).isTrue();
  }

  @Test
  void statusShowsWhyPollsFailAndKeepsTheLastGoodValues() throws Exception {
    h = AdminHarness.start(dir);
    h.synapse.stop();
    h.poller.pollNow().get();

    JsonNode s = AdminHarness.json(h.get("/api/v1/status"));

    assertThat(s.get("poll").get("up").booleanValue()).isFalse();
    assertThat(s.get("poll").get("last_error").get("reason").stringValue()).isEqualTo("connect");
    assertThat(s.get("poll").get("last_success").isNull()).isFalse();
    assertThat(s.get("enabled").booleanValue()).isTrue();
  }

  @Test
  void statusBeforeTheFirstPollHasNullsNotGuesses() {
    JsonNode s =
        AdminStatusJson.render(
            PollSnapshot.initial(), Optional.empty(), System.currentTimeMillis(), 300_000);

    assertThat(s.get("enabled").isNull()).isTrue();
    assertThat(s.get("current_updates").isEmpty()).isTrue();
    assertThat(s.get("poll").get("up").booleanValue()).isFalse();
    assertThat(s.get("poll").get("stale").booleanValue()).isTrue();
    assertThat(s.get("poll").get("last_success").isNull()).isTrue();
  }

  @Test
  void everyActionAndOutcomeIsExportedFromTheStartAtZero() throws IOException {
    h = AdminHarness.start(dir);

    for (String action : new String[] {"status", "enable", "disable", "start_job"}) {
      for (String outcome : new String[] {"ok", "unauthorized", "bad_request", "upstream_error"}) {
        assertThat(requests(action, outcome)).as(action + "/" + outcome).hasValue(0.0);
      }
    }
    assertThat(h.metrics())
        .doesNotContain("pause_expiry_timestamp_seconds{")
        .doesNotContain("synapse_background_updates_pause_expiry_timestamp_seconds ");
  }

  @Test
  void requestsAreCountedByActionAndOutcome() throws IOException {
    h = AdminHarness.start(dir);

    h.get("/api/v1/status");
    h.post("/api/v1/enabled", "{\"enabled\": false}");
    h.post("/api/v1/enabled", "{\"enabled\": true}");
    h.post("/api/v1/enabled", "{\"enabled\": true}");
    h.post("/api/v1/jobs", "{\"job_name\": \"regenerate_directory\"}");
    h.post("/api/v1/jobs", "{\"job_name\": \"regenerate_directory\"}");
    h.post("/api/v1/jobs", "{\"job_name\": \"nope\"}");
    h.get("/api/v1/jobs");
    h.send(HttpRequest.newBuilder(h.uri("/api/v1/status")).GET());

    assertThat(requests("status", "ok")).hasValue(1.0);
    assertThat(requests("status", "unauthorized")).hasValue(1.0);
    assertThat(requests("disable", "ok")).hasValue(1.0);
    assertThat(requests("enable", "ok")).hasValue(2.0);
    assertThat(requests("start_job", "ok")).hasValue(1.0);
    assertThat(requests("start_job", "upstream_error")).hasValue(1.0);
    assertThat(requests("start_job", "bad_request")).hasValue(2.0);
  }
}
