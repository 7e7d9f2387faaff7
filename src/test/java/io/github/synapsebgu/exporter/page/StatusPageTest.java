package io.github.synapsebgu.exporter.page;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.SynapseAnswers;
import io.github.synapsebgu.exporter.testing.SynapseBodies.Update;
import io.github.synapsebgu.exporter.testing.Wire;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The page and its JSON twin over HTTP: what they show, their headers, their refusals. */
class StatusPageTest {
  private final Fleet fleet = new Fleet(Duration.ofHours(1));

  @AfterEach
  void tearDown() throws Exception {
    fleet.close();
  }

  @Test
  void every_response_carries_the_strict_policy_and_nosniff() throws Exception {
    fleet.add("one");
    URI base = fleet.start();
    for (String path :
        new String[] {"/", "/api/v1/overview", "/status-page.js", "/status-page.css"}) {
      HttpResponse<String> r = Wire.get(base.resolve(path));
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Security-Policy"))
          .as(path)
          .hasValue(
              "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
                  + " connect-src 'self'; base-uri 'none'; form-action 'none';"
                  + " frame-ancestors 'none'");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
    }
    assertThat(Wire.get(base.resolve("/")).body())
        .doesNotContain("<script>")
        .doesNotContain(" style=");
  }

  @Test
  void a_large_fleet_page_is_gzipped_for_clients_that_ask() throws Exception {
    fleet.add("hs-00");
    for (int i = 1; i < 60; i++) {
      fleet.addSharing(String.format(java.util.Locale.ROOT, "hs-%02d", i), "hs-00");
    }
    URI base = fleet.start();
    HttpResponse<byte[]> plain = Wire.getBytes(base.resolve("/"), "identity");
    HttpResponse<byte[]> packed = Wire.getBytes(base.resolve("/"), "gzip, deflate, br");
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(packed.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(packed.body().length).isLessThan(plain.body().length / 4);
    try (var in =
        new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(packed.body()))) {
      String page = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(page).contains("hs-59").contains("</html>");
    }
  }

  @Test
  void showing_the_page_never_calls_synapse() throws Exception {
    FakeSynapse synapse = fleet.add("alpha");
    fleet.add("beta");
    URI base = fleet.start();
    int before = synapse.requestCount();
    for (String path : new String[] {"/", "/?homeserver=alpha", "/api/v1/overview"}) {
      assertThat(Wire.get(base.resolve(path)).statusCode()).isEqualTo(200);
    }
    assertThat(synapse.requestCount()).isEqualTo(before);
  }

  @Test
  void a_homeserver_view_exists_only_for_configured_names() throws Exception {
    fleet.add("alpha");
    fleet.add("beta");
    URI base = fleet.start();
    assertThat(Wire.get(base.resolve("/?homeserver=alpha")).body())
        .contains("Background updates: alpha");
    assertThat(Wire.get(base.resolve("/?homeserver=gamma")).statusCode()).isEqualTo(404);
    assertThat(Wire.get(base.resolve("/?homeserver=%3Cscript%3E")).statusCode()).isEqualTo(404);
  }

  @Test
  void the_json_twin_shows_the_numbers_of_metrics() throws Exception {
    FakeSynapse synapse = fleet.add("one");
    synapse.running(Update.onMaster("populate_user_directory_process_users", 4242, 8_000.0, 0.5));
    URI base = fleet.start();
    String metrics = Wire.scrapeOnce(fleet.homeserver("one").metricsEndpoint());
    JsonNode o =
        JsonMapper.builder().build().readTree(Wire.get(base.resolve("/api/v1/overview")).body());
    JsonNode hs = o.path("homeservers").get(0);
    assertThat(hs.path("name").asString()).isEqualTo("one");
    assertThat(hs.path("state").asString()).isEqualTo("running");
    JsonNode running = hs.path("databases").get(0).path("running");
    assertThat(running.path("update").asString())
        .isEqualTo("populate_user_directory_process_users");
    assertThat(metrics)
        .contains(
            "synapse_background_update_items_processed{database=\"master\",update=\"populate_user_directory_process_users\"} "
                + running.path("items_processed").asDouble())
        .contains(
            "synapse_background_update_items_per_second{database=\"master\",update=\"populate_user_directory_process_users\"} "
                + running.path("items_per_second").asDouble())
        .contains(
            "synapse_background_update_duration_seconds{database=\"master\",update=\"populate_user_directory_process_users\"} "
                + running.path("duration_seconds").asDouble());
    assertThat(o.path("counts").path("running").asInt()).isEqualTo(1);
  }

  @Test
  void a_failing_homeserver_shows_its_reason_and_the_readmes_hint() throws Exception {
    FakeSynapse synapse = fleet.add("one");
    synapse.answer(FakeSynapse.Call.STATUS, SynapseAnswers.notAdmin());
    URI base = fleet.start();
    String page = Wire.get(base.resolve("/")).body();
    assertThat(page)
        .contains("<code>forbidden</code>")
        .contains("Make the user an admin, or use an admin&#39;s token.");
  }
}
