package io.github.synapsebgu.exporter.synapse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one rule for "Synapse turned this request down", used by the admin API and the CLI. */
class SynapseExceptionTest {
  private static SynapseException answered(int status, String errcode) {
    return Failures.fromErrorStatus(
        status,
        errcode == null
            ? "<html>proxy</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8)
            : ("{\"errcode\":\"" + errcode + "\",\"error\":\"no\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void a_4xx_with_a_matrix_error_code_is_synapse_refusing_the_request() {
    assertThat(answered(400, "M_UNKNOWN").refusedBySynapse()).isTrue();
    assertThat(answered(409, "M_UNKNOWN").refusedBySynapse()).isTrue();
  }

  @Test
  void auth_and_routing_answers_mean_the_api_cannot_be_used_not_a_refusal() {
    assertThat(answered(401, "M_UNKNOWN_TOKEN").refusedBySynapse()).isFalse();
    assertThat(answered(403, "M_FORBIDDEN").refusedBySynapse()).isFalse();
    assertThat(answered(404, "M_UNRECOGNIZED").refusedBySynapse()).isFalse();
  }

  @Test
  void a_proxy_page_or_a_server_error_is_not_a_refusal() {
    assertThat(answered(400, null).refusedBySynapse()).isFalse();
    assertThat(answered(500, "M_UNKNOWN").refusedBySynapse()).isFalse();
    assertThat(new SynapseException(FailureReason.TIMEOUT, "slow").refusedBySynapse()).isFalse();
  }

  @Test
  void says_which_source_failed_and_what_synapse_answered() {
    SynapseException e = answered(403, "M_FORBIDDEN");
    assertThat(e.source()).isEqualTo("admin_api");
    assertThat(e.details()).containsEntry("status", 403).containsEntry("errcode", "M_FORBIDDEN");
    assertThat(new SynapseException(FailureReason.CONNECT, "down").details())
        .containsEntry("status", null)
        .containsEntry("errcode", null);
  }
}
