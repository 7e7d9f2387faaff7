package io.github.synapsebgu.exporter.cli.commands;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A homeserver at the wire, scripted through a sequence of status answers (one per poll, the last
 * one repeating), answering like Synapse 1.160 did when measured (docs/synapse-admin-api.md). As a
 * static {@code @RegisterExtension} field it is shared by a test class, reset before each test and
 * closed after the last.
 */
final class FakeHomeserver implements AutoCloseable, BeforeEachCallback, AfterAllCallback {
  static final String TOKEN = "syt_YWRtaW4_fakeSecretToken_0xyz";
  static final String API = "/_synapse/admin/v1/background_updates/";
  private static final String AUTH = "Bearer " + TOKEN;

  private final WireMockServer server =
      new WireMockServer(
          options().dynamicPort().bindAddress("127.0.0.1").notifier(new ConsoleNotifier(false)));

  FakeHomeserver() {
    server.start();
    reset();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    reset();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  String url() {
    return "http://127.0.0.1:" + server.port();
  }

  /** Forgets stubs and requests; unknown tokens get Synapse's 401, unknown paths its 404. */
  void reset() {
    server.resetAll();
    server.stubFor(
        any(urlPathMatching(".*"))
            .withHeader("Authorization", equalTo(AUTH))
            .atPriority(5)
            .willReturn(
                json(404, "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}")));
    server.stubFor(
        any(urlPathMatching(".*"))
            .atPriority(10)
            .willReturn(
                json(
                    401,
                    "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token passed.\","
                        + "\"soft_logout\":false}")));
  }

  /** One answer per status poll, in order; the last one answers every later poll. */
  void script(ResponseDefinitionBuilder... answers) {
    for (int i = 0; i < answers.length; i++) {
      var stub =
          get(urlEqualTo(API + "status"))
              .withHeader("Authorization", equalTo(AUTH))
              .inScenario("status")
              .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "poll " + i)
              .willReturn(answers[i]);
      if (i < answers.length - 1) {
        stub = stub.willSetStateTo("poll " + (i + 1));
      }
      server.stubFor(stub.atPriority(1));
    }
  }

  void onPost(String endpoint, ResponseDefinitionBuilder answer) {
    server.stubFor(
        post(urlEqualTo(API + endpoint))
            .withHeader("Authorization", equalTo(AUTH))
            .atPriority(1)
            .willReturn(answer));
  }

  int statusPolls() {
    return server.findAll(getRequestedFor(urlEqualTo(API + "status"))).size();
  }

  List<LoggedRequest> posts(String endpoint) {
    return server.findAll(postRequestedFor(urlEqualTo(API + endpoint)));
  }

  int requests() {
    return server.getAllServeEvents().size();
  }

  // --- answers, verbatim shapes from a real Synapse ---

  static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withHeader("Server", "Synapse/1.160.0")
        .withBody(body);
  }

  static ResponseDefinitionBuilder idle() {
    return json(200, "{\"enabled\":true,\"current_updates\":{}}");
  }

  static ResponseDefinitionBuilder pausedIdle() {
    return json(200, "{\"enabled\":false,\"current_updates\":{}}");
  }

  static ResponseDefinitionBuilder running(String update, long items, double ms, Double perMs) {
    return status(true, "master", update, items, ms, perMs);
  }

  static ResponseDefinitionBuilder paused(String update, long items, double ms, Double perMs) {
    return status(false, "master", update, items, ms, perMs);
  }

  static ResponseDefinitionBuilder status(
      boolean enabled, String db, String update, long items, double ms, Double perMs) {
    return json(
        200,
        "{\"enabled\":"
            + enabled
            + ",\"current_updates\":{"
            + entry(db, update, items, ms, perMs)
            + "}}");
  }

  static String entry(String db, String update, long items, double ms, Double perMs) {
    return String.format(
        Locale.ROOT,
        "\"%s\":{\"name\":\"%s\",\"total_item_count\":%d,\"total_duration_ms\":%s,"
            + "\"average_items_per_ms\":%s}",
        db,
        update,
        items,
        Double.toString(ms),
        perMs == null ? "null" : Double.toString(perMs));
  }

  /** A reverse proxy whose upstream is down. */
  static ResponseDefinitionBuilder badGateway() {
    return aResponse()
        .withStatus(502)
        .withHeader("Content-Type", "text/html")
        .withBody("<html><body><h1>502 Bad Gateway</h1></body></html>");
  }

  /** The connection closes without an answer, as while Synapse goes down. */
  static ResponseDefinitionBuilder dropped() {
    return aResponse().withFault(Fault.EMPTY_RESPONSE);
  }

  @Override
  public void close() {
    server.stop();
  }
}
