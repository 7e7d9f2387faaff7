package io.github.synapsebgu.exporter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import java.io.IOException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class JobsEndpointTest extends AdminApiTest {

  @BeforeEach
  void start() throws IOException {
    h = AdminHarness.start(dir);
  }

  private String forwardedBody() {
    var requests = h.synapse.requests(Call.START_JOB);
    assertThat(requests).hasSize(1);
    return requests.get(0).getBodyAsString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"populate_stats_process_rooms", "regenerate_directory", "event_resign"})
  void eachJobIsStartedInSynapse(String job) {
    HttpResponse<String> r = h.post("/api/v1/jobs", "{\"job_name\": \"" + job + "\"}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(AdminHarness.json(r).get("job_name").stringValue()).isEqualTo(job);
    assertThat(AdminHarness.json(forwardedBody()).get("job_name").stringValue()).isEqualTo(job);
  }

  @Test
  void eventResignForwardsOnlyTheCheckedFields() {
    HttpResponse<String> r =
        h.post(
            "/api/v1/jobs",
            "{\"job_name\": \"event_resign\", \"old_key\": \"ed25519:a_old\","
                + " \"before_ts\": 1764201600000}");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode sent = AdminHarness.json(forwardedBody());
    assertThat(sent.propertyNames()).containsExactlyInAnyOrder("job_name", "old_key", "before_ts");
    assertThat(sent.get("old_key").stringValue()).isEqualTo("ed25519:a_old");
    assertThat(sent.get("before_ts").longValue()).isEqualTo(1764201600000L);
  }

  @Test
  void synapsesRefusalComesBackWithItsStatusErrcodeAndError() {
    assertThat(h.post("/api/v1/jobs", "{\"job_name\": \"regenerate_directory\"}").statusCode())
        .isEqualTo(200);

    HttpResponse<String> again = h.post("/api/v1/jobs", "{\"job_name\": \"regenerate_directory\"}");

    assertThat(again.statusCode()).isEqualTo(400);
    JsonNode json = AdminHarness.json(again);
    assertThat(json.get("errcode").stringValue()).isEqualTo("M_UNKNOWN");
    assertThat(json.get("error").stringValue())
        .isEqualTo("Job regenerate_directory is already in queue of background updates.");
    assertThat(json.get("detail").stringValue()).isEqualTo("refused by Synapse");
  }

  @ParameterizedTest(name = "{0} -> 400 naming {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{}                                                       | job_name",
        "{\"job_name\": \"nope\"}                                 | job_name",
        "{\"job_name\": 1}                                        | job_name",
        "{\"job_name\": null}                                     | job_name",
        "{\"job_name\": \"regenerate_directory\", \"old_key\": \"k\"} | old_key",
        "{\"job_name\": \"populate_stats_process_rooms\", \"before_ts\": 1} | before_ts",
        "{\"job_name\": \"event_resign\", \"before_ts\": \"x\"}   | before_ts",
        "{\"job_name\": \"event_resign\", \"before_ts\": 1.5}     | before_ts",
        "{\"job_name\": \"event_resign\", \"before_ts\": -1}      | before_ts",
        "{\"job_name\": \"event_resign\", \"before_ts\": 99999999999999999999} | before_ts",
        "{\"job_name\": \"event_resign\", \"old_key\": 7}         | old_key",
        "{\"job_name\": \"event_resign\", \"old_key\": \"\"}      | old_key",
        "{\"job_name\": \"event_resign\", \"force\": true}        | force",
      })
  void invalidJobIsRefusedNamingTheFieldAndNothingReachesSynapse(String body, String field) {
    HttpResponse<String> r = h.post("/api/v1/jobs", body);

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode json = AdminHarness.json(r);
    assertThat(json.get("error").stringValue()).contains("\"" + field + "\"");
    assertThat(json.get("detail").get("field").stringValue()).isEqualTo(field);
    assertThat(h.synapse.allPosts()).isZero();
  }
}
