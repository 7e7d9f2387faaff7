package io.github.synapsebgu.exporter.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import io.github.synapsebgu.exporter.testing.SynapseBodies.Update;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fake answers as the measured Synapse did (docs/synapse-admin-api.md): the tests that rely on
 * it are only as right as it is.
 */
class FakeSynapseTest {
  @RegisterExtension static final FakeSynapse synapse = FakeSynapse.start();

  private static HttpResponse<String> send(
      FakeSynapse to, String method, String path, String authorization, String body)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(to.url().resolve(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return Wire.send(r.build());
  }

  private static HttpResponse<String> call(Call call, String body) throws Exception {
    return send(synapse, call.method, call.path, "Bearer " + FakeSynapse.TOKEN, body);
  }

  private static String status() throws Exception {
    HttpResponse<String> r = call(Call.STATUS, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.headers().firstValue("Server")).hasValue("Synapse/1.160.0");
    return r.body();
  }

  @Test
  void its_metrics_are_served_without_a_token_in_the_measured_format() throws Exception {
    HttpResponse<String> r = send(synapse, "GET", SynapseBodies.METRICS_PATH, null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(SynapseBodies.METRICS_TYPE);
    // As measured on Synapse 1.160 (docs/synapse-admin-api.md), the update running.
    assertThat(r.body())
        .isEqualTo(
            "# HELP synapse_background_update_status Background update status\n"
                + "# TYPE synapse_background_update_status gauge\n"
                + "synapse_background_update_status{database_name=\"master\","
                + "server_name=\"test.local\"} 2.0\n");
    assertThat(synapse.metricsUrl()).isEqualTo(synapse.url().resolve(SynapseBodies.METRICS_PATH));

    // A token, even an unknown one, changes nothing: the metrics listener has no auth.
    synapse.updaterState("master", "3.0");
    synapse.updaterState("state_db", "-1.0");
    r = send(synapse, "GET", SynapseBodies.METRICS_PATH, "Bearer not-a-token", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .endsWith(
            "synapse_background_update_status{database_name=\"master\","
                + "server_name=\"test.local\"} 3.0\n"
                + "synapse_background_update_status{database_name=\"state_db\","
                + "server_name=\"test.local\"} -1.0\n");
    assertThat(synapse.requests(Call.METRICS)).hasSize(2);
    assertThat(synapse.count(Call.STATUS)).isZero();

    synapse.answer(Call.METRICS, SynapseAnswers.unrecognized());
    assertThat(send(synapse, "GET", SynapseBodies.METRICS_PATH, null, null).statusCode())
        .isEqualTo(404);

    synapse.reset();
    assertThat(send(synapse, "GET", SynapseBodies.METRICS_PATH, null, null).body())
        .endsWith("{database_name=\"master\",server_name=\"test.local\"} 2.0\n")
        .doesNotContain("state_db");
  }

  @Test
  void its_status_is_byte_for_byte_what_synapse_sent_in_each_recorded_state() throws Exception {
    assertThat(status()).isEqualTo(SynapseBodies.RUNNING_12);

    synapse.running(Update.onMaster("populate_stats_process_rooms", 2, 4.0, 0.5));
    assertThat(status()).isEqualTo(SynapseBodies.RUNNING_2);
    synapse.running(Update.onMaster("populate_user_directory_process_users", 0, 0.0, null));
    assertThat(status()).isEqualTo(SynapseBodies.NULL_RATE);
    synapse.finish("master");
    assertThat(status()).isEqualTo(SynapseBodies.NOTHING);
    synapse.running(
        new Update("basement", "populate_stats_process_users", 1, 3.0, 0.3333333333333333));
    assertThat(status()).isEqualTo(SynapseBodies.SPLIT);

    synapse.reset();
    synapse.running(Update.onMaster("room_membership_user_room_index", 0, 0.0, null));
    assertThat(call(Call.SET_ENABLED, SynapseBodies.ENABLED_FALSE).body())
        .isEqualTo(SynapseBodies.ENABLED_FALSE);
    assertThat(status()).isEqualTo(SynapseBodies.PAUSED);
  }

  @Test
  void a_pause_lasts_until_a_resume_or_a_restart_which_also_zeroes_the_counts() throws Exception {
    call(Call.SET_ENABLED, "{\"enabled\":false}");
    assertThat(synapse.enabled()).isFalse();
    assertThat(call(Call.READ_ENABLED, null).body()).isEqualTo(SynapseBodies.ENABLED_FALSE);

    assertThat(call(Call.SET_ENABLED, "{}").body()).isEqualTo(SynapseBodies.ENABLED_TRUE);
    assertThat(synapse.enabled()).isTrue();

    synapse.enabled(false);
    synapse.restart();
    assertThat(synapse.enabled()).isTrue();
    assertThat(status())
        .isEqualTo(
            SynapseBodies.status(
                true, Update.onMaster("populate_stats_process_rooms", 0, 0.0, null)));
    assertThat(synapse.enabledPosts(false)).isEqualTo(1);
    assertThat(synapse.count(Call.SET_ENABLED)).isEqualTo(2);
  }

  @Test
  void it_refuses_what_synapse_refuses_with_synapses_words() throws Exception {
    assertThat(call(Call.SET_ENABLED, "{\"enabled\":\"yes\"}").body())
        .isEqualTo(SynapseBodies.NOT_BOOLEAN);
    assertThat(call(Call.SET_ENABLED, "nope").body()).isEqualTo(SynapseBodies.NOT_JSON);
    assertThat(call(Call.SET_ENABLED, "[]").body()).isEqualTo(SynapseBodies.NOT_AN_OBJECT);
    assertThat(synapse.enabled()).isTrue();

    assertThat(call(Call.START_JOB, "{\"job_name\":\"regenerate_directory\"}").body())
        .isEqualTo(SynapseBodies.JOB_STARTED);
    HttpResponse<String> again = call(Call.START_JOB, "{\"job_name\":\"regenerate_directory\"}");
    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(again.body()).isEqualTo(SynapseBodies.alreadyQueued("regenerate_directory"));
    assertThat(call(Call.START_JOB, "{\"job_name\":\"nope\"}").body())
        .isEqualTo(SynapseBodies.INVALID_JOB_NAME);
    assertThat(call(Call.START_JOB, "{}").body()).isEqualTo(SynapseBodies.MISSING_JOB_NAME);
    assertThat(call(Call.START_JOB, "{\"job_name\":\"event_resign\",\"before_ts\":\"x\"}").body())
        .isEqualTo(SynapseBodies.BEFORE_TS_NOT_INTEGER);
  }

  @Test
  void tokens_paths_and_methods_are_checked_as_synapse_checks_them() throws Exception {
    String path = SynapseBodies.STATUS_PATH;
    assertThat(send(synapse, "GET", path, null, null).body())
        .isEqualTo(SynapseBodies.MISSING_TOKEN);
    assertThat(send(synapse, "GET", path, "Basic YTpi", null).body())
        .isEqualTo(SynapseBodies.MALFORMED_AUTHORIZATION);
    HttpResponse<String> wrong = send(synapse, "GET", path, "Bearer syt_guess", null);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).isEqualTo(SynapseBodies.UNKNOWN_TOKEN);

    synapse.knownTokens(); // revoked
    assertThat(call(Call.STATUS, null).body()).isEqualTo(SynapseBodies.UNKNOWN_TOKEN);
    synapse.knownTokens(FakeSynapse.TOKEN);

    HttpResponse<String> unknown = send(synapse, "GET", SynapseBodies.API + "nope", null, null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo(SynapseBodies.UNRECOGNIZED);
    assertThat(send(synapse, "GET", SynapseBodies.START_JOB_PATH, null, null).statusCode())
        .isEqualTo(405);
    assertThat(synapse.requestCount()).isEqualTo(6);
  }

  @Test
  void a_script_answers_one_request_each_repeats_its_last_and_can_be_taken_back() throws Exception {
    var script = synapse.script(SynapseAnswers.idle(), SynapseAnswers.notAdmin());
    assertThat(status()).isEqualTo(SynapseBodies.NOTHING);
    assertThat(call(Call.STATUS, null).body()).isEqualTo(SynapseBodies.NOT_ADMIN);
    assertThat(call(Call.STATUS, null).statusCode()).isEqualTo(403);

    synapse.remove(script);
    assertThat(status()).isEqualTo(SynapseBodies.RUNNING_12);
    assertThat(synapse.count(Call.STATUS)).isEqualTo(4);
  }

  @Test
  void a_script_for_one_body_leaves_the_others_to_the_model() throws Exception {
    synapse.answer(Call.SET_ENABLED, SynapseBodies.ENABLED_TRUE, SynapseAnswers.json(500, "{}"));

    assertThat(call(Call.SET_ENABLED, SynapseBodies.ENABLED_FALSE).statusCode()).isEqualTo(200);
    assertThat(call(Call.SET_ENABLED, SynapseBodies.ENABLED_TRUE).statusCode()).isEqualTo(500);
    assertThat(synapse.enabled()).isFalse();
  }

  @Test
  void behind_a_proxy_prefix_only_prefixed_paths_reach_it_and_a_stopped_one_refuses()
      throws Exception {
    FakeSynapse proxied = FakeSynapse.startBehind("/matrix");
    try (proxied) {
      String token = "Bearer " + FakeSynapse.TOKEN;
      assertThat(send(proxied, "GET", "/matrix" + SynapseBodies.STATUS_PATH, token, null).body())
          .isEqualTo(SynapseBodies.RUNNING_12);
      assertThat(send(proxied, "GET", SynapseBodies.STATUS_PATH, token, null).statusCode())
          .isEqualTo(404);
      assertThat(proxied.count(Call.STATUS)).isEqualTo(1);

      proxied.stop();
      assertThatThrownBy(() -> send(proxied, "GET", SynapseBodies.STATUS_PATH, token, null))
          .isInstanceOf(IOException.class);
    }
  }
}
