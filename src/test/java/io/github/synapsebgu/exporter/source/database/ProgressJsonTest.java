package io.github.synapsebgu.exporter.source.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProgressJsonTest {
  @Test
  void a_non_negative_remaining_is_read() {
    assertThat(ProgressJson.remaining("{\"remaining\": 1234}")).hasValue(1234);
    assertThat(ProgressJson.remaining("{\"remaining\":0,\"last_room_id\":\"!a:b\"}")).hasValue(0);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"remaining\":-2}", // seen on a real Synapse
        "{}",
        "{\"remaining\":\"12\"}",
        "{\"remaining\":1.5}",
        "{\"remaining\":99999999999999999999999}",
        "[1,2]",
        "null",
        "",
        "not json",
        "{\"remaining\":"
      })
  void anything_else_is_unknown_not_an_error(String json) {
    assertThat(ProgressJson.remaining(json)).isEmpty();
  }

  @Test
  void deep_or_huge_documents_are_unknown_without_being_parsed_whole() {
    assertThat(ProgressJson.remaining("[".repeat(10_000) + "]".repeat(10_000))).isEmpty();
    assertThat(ProgressJson.remaining("{\"remaining\":1,\"x\":\"" + "y".repeat(70_000) + "\"}"))
        .isEmpty();
    assertThat(ProgressJson.remaining(null)).isEmpty();
  }
}
