package io.github.synapsebgu.exporter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

class EnabledEndpointTest extends AdminApiTest {
  private static final String ENABLED_GAUGE = "synapse_background_updates_enabled";
  private static final String EXPIRY_GAUGE =
      "synapse_background_updates_pause_expiry_timestamp_seconds";

  @Test
  void pausePausesSynapseAndAnswersWithItsResult() throws IOException {
    h = AdminHarness.start(dir);

    HttpResponse<String> r = h.post("/api/v1/enabled", "{\"enabled\": false}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(AdminHarness.json(r).get("enabled").booleanValue()).isFalse();
    assertThat(AdminHarness.json(r).has("resume_at")).isFalse();
    assertThat(h.synapse.enabled()).isFalse();
    assertThat(h.synapse.enabledPosts(false)).isEqualTo(1);
  }

  @Test
  void aChangeIsOnMetricsAsSoonAsTheAnswerArrives() throws IOException {
    h = AdminHarness.start(dir);
    assertThat(h.metric(ENABLED_GAUGE)).hasValue(1.0);

    h.post("/api/v1/enabled", "{\"enabled\": false}");
    assertThat(h.metric(ENABLED_GAUGE)).hasValue(0.0);

    h.post("/api/v1/enabled", "{\"enabled\": true}");
    assertThat(h.metric(ENABLED_GAUGE)).hasValue(1.0);
  }

  @Test
  void resumeResumesSynapse() throws IOException {
    h = AdminHarness.start(dir);
    h.post("/api/v1/enabled", "{\"enabled\": false}");

    HttpResponse<String> r = h.post("/api/v1/enabled", "{\"enabled\": true}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(AdminHarness.json(r).get("enabled").booleanValue()).isTrue();
    assertThat(h.synapse.enabled()).isTrue();
  }

  @Test
  void timedPauseResumesByItselfWhenItExpires() throws IOException {
    h = AdminHarness.start(dir);
    Instant before = Instant.now();

    HttpResponse<String> r = h.post("/api/v1/enabled", "{\"enabled\": false, \"for\": \"1s\"}");

    assertThat(r.statusCode()).isEqualTo(200);
    Instant resumeAt = Instant.parse(AdminHarness.json(r).get("resume_at").stringValue());
    assertThat(resumeAt).isBetween(before.plusSeconds(1), Instant.now().plusSeconds(1));
    assertThat(h.synapse.enabled()).isFalse();
    assertThat(h.metric(EXPIRY_GAUGE)).hasValue(resumeAt.toEpochMilli() / 1000.0);
    JsonNode pause = AdminHarness.json(h.get("/api/v1/status")).get("timed_pause");
    assertThat(pause.get("resume_at").stringValue()).isEqualTo(resumeAt.toString());
    assertThat(pause.get("duration").stringValue()).isEqualTo("1s");

    AdminHarness.await(() -> h.synapse.enabled(), Duration.ofSeconds(5));
    assertThat(Instant.now()).isAfterOrEqualTo(resumeAt);
    // WireMock records a request once it has answered it, a moment after the state changed.
    AdminHarness.await(() -> h.synapse.enabledPosts(true) >= 1, Duration.ofSeconds(2));
    assertThat(h.synapse.enabledPosts(true)).isEqualTo(1);
    AdminHarness.await(() -> h.metric(EXPIRY_GAUGE).isEmpty(), Duration.ofSeconds(2));
    AdminHarness.await(
        () -> h.metric(ENABLED_GAUGE).equals(java.util.Optional.of(1.0)), Duration.ofSeconds(2));
    assertThat(AdminHarness.json(h.get("/api/v1/status")).get("timed_pause").isNull()).isTrue();
  }

  @Test
  void timedPauseIsRestoredWhenASynapseRestartDropsIt() throws Exception {
    h = AdminHarness.start(dir, AdminHarness.Options.defaults().pollEvery(Duration.ofMillis(100)));
    h.post("/api/v1/enabled", "{\"enabled\": false, \"for\": \"1h\"}");
    assertThat(h.synapse.enabledPosts(false)).isEqualTo(1);

    h.synapse.restart();

    AdminHarness.await(() -> h.synapse.enabledPosts(false) == 2, Duration.ofSeconds(5));
    assertThat(h.synapse.enabled()).isFalse();
    // Paused again once, not on every poll.
    Thread.sleep(500);
    assertThat(h.synapse.enabledPosts(false)).isEqualTo(2);
    assertThat(h.synapse.enabledPosts(true)).isZero();
  }

  @Test
  void a_resume_command_during_a_timed_pause_is_respected_not_undone() throws Exception {
    h = AdminHarness.start(dir, AdminHarness.Options.defaults().pollEvery(Duration.ofMillis(100)));
    h.post("/api/v1/enabled", "{\"enabled\": false, \"for\": \"1h\"}");
    Thread.sleep(300); // a few polls see the pause

    h.synapse.enabled(true); // resumed by someone other than the exporter
    Thread.sleep(1000);

    assertThat(h.synapse.enabled()).isTrue();
    assertThat(h.synapse.enabledPosts(false)).isEqualTo(1);
    assertThat(AdminHarness.json(h.get("/api/v1/status")).get("timed_pause").isNull()).isTrue();
    assertThat(h.metric(EXPIRY_GAUGE)).isEmpty();
    assertThat(
            h.metric(
                "synapse_background_updates_timed_pause_events_total{event=\"resumed_outside\"}"))
        .hasValue(1.0);
  }

  @Test
  void withoutATimedPauseARestartIsLeftAlone() throws Exception {
    h = AdminHarness.start(dir, AdminHarness.Options.defaults().pollEvery(Duration.ofMillis(100)));
    h.post("/api/v1/enabled", "{\"enabled\": false}");

    h.synapse.restart();
    Thread.sleep(600);

    assertThat(h.synapse.enabled()).isTrue();
    assertThat(h.synapse.enabledPosts(false)).isEqualTo(1);
  }

  @Test
  void resumingCancelsATimedPause() throws Exception {
    h = AdminHarness.start(dir, AdminHarness.Options.defaults().pollEvery(Duration.ofMillis(100)));
    JsonNode paused =
        AdminHarness.json(h.post("/api/v1/enabled", "{\"enabled\": false, \"for\": \"1s\"}"));

    HttpResponse<String> r = h.post("/api/v1/enabled", "{\"enabled\": true}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(AdminHarness.json(r).get("cancelled_resume_at").stringValue())
        .isEqualTo(paused.get("resume_at").stringValue());
    assertThat(h.metric(EXPIRY_GAUGE)).isEmpty();
    // Neither the expiry nor the restart watch acts on a cancelled pause.
    h.post("/api/v1/enabled", "{\"enabled\": false}");
    h.synapse.restart();
    Thread.sleep(1500);
    assertThat(h.synapse.enabledPosts(true)).isEqualTo(1);
    assertThat(h.synapse.enabledPosts(false)).isEqualTo(2);
  }

  @Test
  void anIndefinitePauseReplacesATimedOne() throws Exception {
    h = AdminHarness.start(dir);
    h.post("/api/v1/enabled", "{\"enabled\": false, \"for\": \"1s\"}");

    HttpResponse<String> r = h.post("/api/v1/enabled", "{\"enabled\": false}");

    assertThat(AdminHarness.json(r).has("cancelled_resume_at")).isTrue();
    Thread.sleep(1500);
    assertThat(h.synapse.enabled()).isFalse();
    assertThat(h.synapse.enabledPosts(true)).isZero();
  }

  @Test
  void aNewTimedPauseMovesTheResumeTime() throws Exception {
    h = AdminHarness.start(dir);
    h.post("/api/v1/enabled", "{\"enabled\": false, \"for\": \"1s\"}");

    HttpResponse<String> r = h.post("/api/v1/enabled", "{\"enabled\": false, \"for\": \"1h\"}");

    Instant resumeAt = Instant.parse(AdminHarness.json(r).get("resume_at").stringValue());
    assertThat(resumeAt).isAfter(Instant.now().plusSeconds(3500));
    Thread.sleep(1500);
    assertThat(h.synapse.enabled()).isFalse();
    assertThat(h.metric(EXPIRY_GAUGE)).hasValue(resumeAt.toEpochMilli() / 1000.0);
  }

  @ParameterizedTest(name = "{0} -> 400 naming {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{}                                      | enabled",
        "{\"enabled\": \"false\"}                | enabled",
        "{\"enabled\": null}                     | enabled",
        "{\"enabled\": 0}                        | enabled",
        "{\"enabled\": true, \"for\": \"30m\"}   | for",
        "{\"enabled\": false, \"for\": 30}       | for",
        "{\"enabled\": false, \"for\": \"30 minutes\"} | for",
        "{\"enabled\": false, \"for\": \"0s\"}   | for",
        "{\"enabled\": false, \"for\": \"25h\"}  | for",
        "{\"enabled\": false, \"duration\": \"30m\"} | duration",
      })
  void invalidRequestIsRefusedNamingTheFieldAndNothingReachesSynapse(String body, String field)
      throws IOException {
    h = AdminHarness.start(dir);

    HttpResponse<String> r = h.post("/api/v1/enabled", body);

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode json = AdminHarness.json(r);
    assertThat(json.get("error").stringValue()).contains("\"" + field + "\"");
    assertThat(json.get("detail").get("field").stringValue()).isEqualTo(field);
    assertThat(h.synapse.allPosts()).isZero();
    assertThat(h.synapse.enabled()).isTrue();
  }

  @Test
  void pauseLongerThanTheConfiguredMaximumIsRefused() throws IOException {
    h = AdminHarness.start(dir, AdminHarness.Options.defaults().maxPause(Duration.ofMinutes(10)));

    HttpResponse<String> r = h.post("/api/v1/enabled", "{\"enabled\": false, \"for\": \"11m\"}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(AdminHarness.json(r).get("error").stringValue()).contains("at most 10m");
    assertThat(h.post("/api/v1/enabled", "{\"enabled\": false, \"for\": \"10m\"}").statusCode())
        .isEqualTo(200);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"enabled\": false, \"enabled\": true}",
        "{\"enabled\": false} {\"enabled\": true}",
        "{\"enabled\": false",
        "[{\"enabled\": false}]",
        "false",
        "''",
      })
  void bodyThatIsNotExactlyOneJsonObjectIsRefused(String body) throws IOException {
    h = AdminHarness.start(dir);

    HttpResponse<String> r = h.post("/api/v1/enabled", body);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(AdminHarness.json(r).get("error").stringValue()).isNotBlank();
    assertThat(h.synapse.allPosts()).isZero();
  }
}
