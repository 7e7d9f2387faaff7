package io.github.synapsebgu.exporter.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class UpstreamErrorsTest extends AdminApiTest {

  private void synapseAnswersEnabledWith(
      com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
    h.synapse.server.stubFor(
        post(urlEqualTo(FakeSynapse.API + "enabled")).atPriority(1).willReturn(answer));
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
    h.synapse.server.stop();

    HttpResponse<String> r = h.post("/api/v1/enabled", "{\"enabled\": false, \"for\": \"1h\"}");

    assertBadGateway(r, "connect");
    // A pause that did not happen must not start a timer either.
    assertThat(AdminHarness.json(h.get("/api/v1/status")).get("timed_pause").isNull()).isTrue();
    assertThat(h.metric("synapse_background_updates_pause_expiry_timestamp_seconds")).isEmpty();
  }

  @Test
  void slowSynapseGives502WithinTheTimeoutInsteadOfHanging() throws IOException {
    h = AdminHarness.start(dir, AdminHarness.Options.defaults().timeout(Duration.ofMillis(500)));
    synapseAnswersEnabledWith(FakeSynapse.json(200, "{\"enabled\":false}").withFixedDelay(5000));

    long start = System.nanoTime();
    HttpResponse<String> r = h.post("/api/v1/enabled", "{\"enabled\": false}");
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertBadGateway(r, "timeout");
    assertThat(tookMillis).isLessThan(2500);
  }

  @Test
  void synapseRejectingTheExportersTokenGives502NotA401() throws IOException {
    h = AdminHarness.start(dir);
    synapseAnswersEnabledWith(
        FakeSynapse.json(
            401,
            "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token passed.\",\"soft_logout\":false}"));

    HttpResponse<String> r = h.post("/api/v1/enabled", "{\"enabled\": false}");

    assertBadGateway(r, "unauthorized");
    assertThat(AdminHarness.json(r).get("detail").get("synapse_status").intValue()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
  }

  @Test
  void proxyErrorPageGives502WithReasonServerError() throws IOException {
    h = AdminHarness.start(dir);
    synapseAnswersEnabledWith(
        aResponse()
            .withStatus(502)
            .withHeader("Content-Type", "text/html")
            .withBody("<html><body><h1>502 Bad Gateway</h1></body></html>"));

    assertBadGateway(h.post("/api/v1/enabled", "{\"enabled\": true}"), "server_error");
  }

  @Test
  void missingAdminApiBehindTheUrlGives502WithReasonNotFound() throws IOException {
    h = AdminHarness.start(dir);
    h.synapse.server.stubFor(
        post(urlEqualTo(FakeSynapse.API + "start_job"))
            .atPriority(1)
            .willReturn(
                FakeSynapse.json(
                    404, "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}")));

    assertBadGateway(h.post("/api/v1/jobs", "{\"job_name\": \"event_resign\"}"), "not_found");
  }

  @Test
  void synapsesOwnRefusalOfAPausePassesThrough() throws IOException {
    h = AdminHarness.start(dir);
    synapseAnswersEnabledWith(
        FakeSynapse.json(
            400,
            "{\"errcode\":\"M_UNKNOWN\",\"error\":\"'enabled' parameter must be a boolean\"}"));

    HttpResponse<String> r = h.post("/api/v1/enabled", "{\"enabled\": false, \"for\": \"1h\"}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(AdminHarness.json(r).get("errcode").stringValue()).isEqualTo("M_UNKNOWN");
    assertThat(AdminHarness.json(r).get("error").stringValue())
        .isEqualTo("'enabled' parameter must be a boolean");
    assertThat(h.metric("synapse_background_updates_pause_expiry_timestamp_seconds")).isEmpty();
  }
}
