package io.github.synapsebgu.exporter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import io.github.synapsebgu.exporter.testing.SynapseAnswers;
import io.github.synapsebgu.exporter.testing.SynapseBodies;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class UpstreamErrorsTest extends AdminApiTest {

  private void synapseAnswersEnabledWith(ResponseDefinitionBuilder answer) {
    h.synapse.answer(Call.SET_ENABLED, answer);
  }

  private static void assertBadGateway(HttpResponse<String> r, String reason) {
    assertThat(r.statusCode()).isEqualTo(502);
    JsonNode json = AdminHarness.json(r);
    assertThat(json.get("error").stringValue())
        .startsWith("the exporter's request to Synapse failed");
    assertThat(json.get("detail").get("reason").stringValue()).isEqualTo(reason);
  }

  @Test
  void unreachableSynapseGives502WithReasonConnect() throws IOException {
    h = AdminHarness.start(dir);
    h.synapse.stop();

    HttpResponse<String> r = h.post("/api/v1/enabled", "{\"enabled\": false, \"for\": \"1h\"}");

    assertBadGateway(r, "connect");
    // A pause that did not happen must not start a timer either.
    assertThat(AdminHarness.json(h.get("/api/v1/status")).get("timed_pause").isNull()).isTrue();
    assertThat(h.metric("synapse_background_updates_pause_expiry_timestamp_seconds")).isEmpty();
  }

  @Test
  void slowSynapseGives502WithinTheTimeoutInsteadOfHanging() throws IOException {
    h = AdminHarness.start(dir, AdminHarness.Options.defaults().timeout(Duration.ofMillis(500)));
    synapseAnswersEnabledWith(
        SynapseAnswers.json(200, SynapseBodies.ENABLED_FALSE).withFixedDelay(5000));

    long start = System.nanoTime();
    HttpResponse<String> r = h.post("/api/v1/enabled", "{\"enabled\": false}");
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertBadGateway(r, "timeout");
    assertThat(tookMillis).isLessThan(2500);
  }

  @Test
  void synapseRejectingTheExportersTokenGives502NotA401() throws IOException {
    h = AdminHarness.start(dir);
    synapseAnswersEnabledWith(SynapseAnswers.unknownToken());

    HttpResponse<String> r = h.post("/api/v1/enabled", "{\"enabled\": false}");

    assertBadGateway(r, "unauthorized");
    assertThat(AdminHarness.json(r).get("detail").get("synapse_status").intValue()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
  }

  @Test
  void proxyErrorPageGives502WithReasonServerError() throws IOException {
    h = AdminHarness.start(dir);
    synapseAnswersEnabledWith(SynapseAnswers.badGateway());

    assertBadGateway(h.post("/api/v1/enabled", "{\"enabled\": true}"), "server_error");
  }

  @Test
  void missingAdminApiBehindTheUrlGives502WithReasonNotFound() throws IOException {
    h = AdminHarness.start(dir);
    h.synapse.answer(Call.START_JOB, SynapseAnswers.unrecognized());

    assertBadGateway(h.post("/api/v1/jobs", "{\"job_name\": \"event_resign\"}"), "not_found");
  }

  @Test
  void synapsesOwnRefusalOfAPausePassesThrough() throws IOException {
    h = AdminHarness.start(dir);
    synapseAnswersEnabledWith(SynapseAnswers.json(400, SynapseBodies.NOT_BOOLEAN));

    HttpResponse<String> r = h.post("/api/v1/enabled", "{\"enabled\": false, \"for\": \"1h\"}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(AdminHarness.json(r).get("errcode").stringValue()).isEqualTo("M_UNKNOWN");
    assertThat(AdminHarness.json(r).get("error").stringValue())
        .isEqualTo("'enabled' parameter must be a boolean");
    assertThat(h.metric("synapse_background_updates_pause_expiry_timestamp_seconds")).isEmpty();
  }
}
