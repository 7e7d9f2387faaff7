package io.github.synapsebgu.exporter.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import java.net.URI;

/**
 * Synapse's background-updates admin API at the wire, with the behaviour recorded in
 * docs/synapse-admin-api.md: the enabled flag is state (a WireMock scenario) that a restart resets,
 * and a queued job refuses a second start with "already in queue".
 */
public final class FakeSynapse implements AutoCloseable {
  static final String API = "/_synapse/admin/v1/background_updates/";
  public static final String TOKEN = "syt_ZmFrZQ_synapseAdminSecret_4d2f9c";
  static final String UPDATES = "updates";
  static final String JOBS = "jobs";
  static final String PAUSED = "paused";

  private static final String RUNNING_STATUS =
      "{\"enabled\":%s,\"current_updates\":{\"master\":{\"name\":\"populate_stats_process_rooms\","
          + "\"total_item_count\":12,\"total_duration_ms\":19.0,"
          + "\"average_items_per_ms\":0.6357220412595005}}}";

  final WireMockServer server;

  public FakeSynapse() {
    server =
        new WireMockServer(
            wireMockConfig()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .notifier(new ConsoleNotifier(false)));
    server.start();
    model();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  private void model() {
    // Anything without the right token, as Synapse answers it.
    server.stubFor(
        any(urlPathMatching("/.*"))
            .atPriority(10)
            .willReturn(
                json(
                    401,
                    "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token passed.\","
                        + "\"soft_logout\":false}")));
    server.stubFor(
        authed(get(urlEqualTo(API + "status")))
            .inScenario(UPDATES)
            .whenScenarioStateIs(STARTED)
            .willReturn(json(200, RUNNING_STATUS.formatted("true"))));
    server.stubFor(
        authed(get(urlEqualTo(API + "status")))
            .inScenario(UPDATES)
            .whenScenarioStateIs(PAUSED)
            .willReturn(json(200, RUNNING_STATUS.formatted("false"))));
    server.stubFor(
        authed(get(urlEqualTo(API + "enabled")))
            .inScenario(UPDATES)
            .whenScenarioStateIs(STARTED)
            .willReturn(json(200, "{\"enabled\":true}")));
    server.stubFor(
        authed(get(urlEqualTo(API + "enabled")))
            .inScenario(UPDATES)
            .whenScenarioStateIs(PAUSED)
            .willReturn(json(200, "{\"enabled\":false}")));
    server.stubFor(
        authed(post(urlEqualTo(API + "enabled")))
            .withRequestBody(equalToJson("{\"enabled\":false}"))
            .inScenario(UPDATES)
            .willSetStateTo(PAUSED)
            .willReturn(json(200, "{\"enabled\":false}")));
    server.stubFor(
        authed(post(urlEqualTo(API + "enabled")))
            .withRequestBody(equalToJson("{\"enabled\":true}"))
            .inScenario(UPDATES)
            .willSetStateTo(STARTED)
            .willReturn(json(200, "{\"enabled\":true}")));

    server.stubFor(
        authed(post(urlEqualTo(API + "start_job")))
            .withRequestBody(equalToJson("{\"job_name\":\"regenerate_directory\"}"))
            .inScenario(JOBS)
            .whenScenarioStateIs(STARTED)
            .willSetStateTo("queued")
            .willReturn(json(200, "{}")));
    server.stubFor(
        authed(post(urlEqualTo(API + "start_job")))
            .withRequestBody(equalToJson("{\"job_name\":\"regenerate_directory\"}"))
            .inScenario(JOBS)
            .whenScenarioStateIs("queued")
            .willReturn(
                json(
                    400,
                    "{\"errcode\":\"M_UNKNOWN\",\"error\":\"Job regenerate_directory is already in"
                        + " queue of background updates.\"}")));
    for (String job : new String[] {"populate_stats_process_rooms", "event_resign"}) {
      server.stubFor(
          authed(post(urlEqualTo(API + "start_job")))
              .withRequestBody(equalToJson("{\"job_name\":\"" + job + "\"}", false, true))
              .willReturn(json(200, "{}")));
    }
  }

  static MappingBuilder authed(MappingBuilder request) {
    return request.withHeader("Authorization", equalTo("Bearer " + TOKEN));
  }

  static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  /** Whether Synapse's background updates are enabled right now. */
  public boolean enabled() {
    return server.getAllScenarios().getScenarios().stream()
        .filter(s -> s.getName().equals(UPDATES))
        .noneMatch(s -> s.getState().equals(PAUSED));
  }

  /**
   * A Synapse restart: the pause lives in memory only, so it is gone, and the current update's
   * counters start over (they live in memory too).
   */
  void restart() {
    server.resetScenario(UPDATES);
    server.stubFor(
        authed(get(urlEqualTo(API + "status")))
            .inScenario(UPDATES)
            .whenScenarioStateIs(STARTED)
            .atPriority(4)
            .willReturn(
                json(
                    200,
                    "{\"enabled\":true,\"current_updates\":{\"master\":{\"name\":"
                        + "\"populate_stats_process_rooms\",\"total_item_count\":0,"
                        + "\"total_duration_ms\":0.0,\"average_items_per_ms\":null}}}")));
  }

  /** The resume command or Synapse's own API, called by someone other than the exporter. */
  void resumedElsewhere() {
    server.setScenarioState(UPDATES, STARTED);
  }

  int enabledPosts(boolean enabled) {
    return count(
        postRequestedFor(urlEqualTo(API + "enabled"))
            .withRequestBody(equalToJson("{\"enabled\":" + enabled + "}")));
  }

  int allPosts() {
    return count(postRequestedFor(urlPathMatching("/.*")));
  }

  int count(RequestPatternBuilder pattern) {
    return server.countRequestsMatching(pattern.build()).getCount();
  }

  @Override
  public void close() {
    server.stop();
  }
}
