package io.github.synapsebgu.exporter.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.github.synapsebgu.exporter.testing.SynapseBodies.Update;
import java.time.Duration;

/**
 * Answers for {@link FakeSynapse} to give instead of its model's: Synapse's own (headers as a real
 * 1.160 sends them), a reverse proxy's, and the faults WireMock can make. Delay any of them with
 * WireMock's {@code withFixedDelay}.
 */
public final class SynapseAnswers {
  private SynapseAnswers() {}

  /** JSON as Synapse sends it. */
  public static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withHeader("Server", "Synapse/1.160.0")
        .withBody(body);
  }

  /** Any status, type and body, e.g. what something between us and Synapse sends. */
  public static ResponseDefinitionBuilder raw(int status, String contentType, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", contentType).withBody(body);
  }

  /** A metrics body as Synapse's metrics listener sends it. */
  public static ResponseDefinitionBuilder metrics(String body) {
    return raw(200, SynapseBodies.METRICS_TYPE, body);
  }

  public static ResponseDefinitionBuilder status(String body) {
    return json(200, body);
  }

  /** Nothing runs. */
  public static ResponseDefinitionBuilder idle() {
    return status(SynapseBodies.NOTHING);
  }

  /** Nothing runs, and updates are paused. */
  public static ResponseDefinitionBuilder pausedIdle() {
    return status(SynapseBodies.status(false));
  }

  /** One update running on {@code master}. */
  public static ResponseDefinitionBuilder running(
      String update, long items, double durationMs, Double itemsPerMs) {
    return status(
        SynapseBodies.status(true, Update.onMaster(update, items, durationMs, itemsPerMs)));
  }

  /** One update listed on {@code master} while updates are paused. */
  public static ResponseDefinitionBuilder paused(
      String update, long items, double durationMs, Double itemsPerMs) {
    return status(
        SynapseBodies.status(false, Update.onMaster(update, items, durationMs, itemsPerMs)));
  }

  public static ResponseDefinitionBuilder unknownToken() {
    return json(401, SynapseBodies.UNKNOWN_TOKEN);
  }

  public static ResponseDefinitionBuilder notAdmin() {
    return json(403, SynapseBodies.NOT_ADMIN);
  }

  public static ResponseDefinitionBuilder unrecognized() {
    return json(404, SynapseBodies.UNRECOGNIZED);
  }

  /** A reverse proxy (nginx) whose upstream is down. */
  public static ResponseDefinitionBuilder badGateway() {
    return raw(502, "text/html", SynapseBodies.HTML_502);
  }

  public static ResponseDefinitionBuilder redirect(String location) {
    return aResponse().withStatus(302).withHeader("Location", location);
  }

  /** The connection closes without an answer, as while Synapse goes down. */
  public static ResponseDefinitionBuilder dropped() {
    return aResponse().withFault(Fault.EMPTY_RESPONSE);
  }

  /** A status that comes only after {@code delay}: a hang, for a client with a shorter timeout. */
  public static ResponseDefinitionBuilder hanging(Duration delay) {
    return idle().withFixedDelay((int) delay.toMillis());
  }
}
