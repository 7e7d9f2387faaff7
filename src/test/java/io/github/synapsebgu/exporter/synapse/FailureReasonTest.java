package io.github.synapsebgu.exporter.synapse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailureReasonTest {
  @Test
  void no_explanation_names_a_flag_since_a_homeserver_may_be_configured_otherwise() {
    for (FailureReason r : FailureReason.values()) {
      assertThat(r.explanation()).as(r.label()).doesNotContain("--");
    }
  }

  @Test
  void labels_stay_as_the_metrics_and_alerts_know_them() {
    assertThat(FailureReason.values())
        .extracting(FailureReason::label)
        .containsExactly(
            "connect",
            "timeout",
            "tls",
            "redirect",
            "unauthorized",
            "forbidden",
            "not_found",
            "server_error",
            "http_other",
            "invalid_response");
  }
}
