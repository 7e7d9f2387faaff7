package io.github.synapsebgu.exporter.synapse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The streaming status parser keeps the answers the tree-based one gave on the corners of JSON
 * (found by running both on these bodies).
 */
class StatusParserEdgeCasesTest {
  private static final String UPDATE =
      "\"name\":\"x\",\"total_duration_ms\":1.0,\"average_items_per_ms\":null";

  private static StatusResponse parse(String json) throws InvalidResponseException {
    return StatusParser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String withItems(String items) {
    return "{\"enabled\":true,\"current_updates\":{\"main\":{"
        + UPDATE
        + ",\"total_item_count\":"
        + items
        + "}}}";
  }

  @Test
  void readsAWholeFloatingPointCountAsACount() throws Exception {
    assertThat(parse(withItems("12.0")).currentUpdates().get("main").totalItemCount())
        .isEqualTo(12);
  }

  @Test
  void rejectsACountBeyondALong() {
    assertThatThrownBy(() -> parse(withItems("123456789012345678901234567890")))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageContaining("total_item_count must be a non-negative integer, got number");
  }

  @Test
  void rejectsAnInfiniteDuration() {
    assertThatThrownBy(
            () ->
                parse(
                    "{\"enabled\":true,\"current_updates\":{\"main\":{\"name\":\"x\","
                        + "\"total_item_count\":1,\"total_duration_ms\":1e400,"
                        + "\"average_items_per_ms\":null}}}"))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageContaining("finite");
  }

  @Test
  void takesTheLastOfARepeatedField() throws Exception {
    assertThat(parse("{\"enabled\":false,\"enabled\":true,\"current_updates\":{}}").enabled())
        .isTrue();
  }

  @Test
  void rejectsContentAfterTheObject() {
    assertThatThrownBy(() -> parse("{\"enabled\":true,\"current_updates\":{}} {}"))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageStartingWith("body is not JSON");
  }

  @Test
  void rejectsAnAbsurdlyDeepUnknownFieldWithoutOverflowingTheStack() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThatThrownBy(
            () -> parse("{\"enabled\":true,\"future\":" + deep + ",\"current_updates\":{}}"))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageStartingWith("body is not JSON");
  }

  @Test
  void namesAJsonNullWhereAnObjectBelongs() {
    assertThatThrownBy(() -> parse("{\"enabled\":true,\"current_updates\":null}"))
        .hasMessage("field \"current_updates\" must be an object, got null");
    assertThatThrownBy(() -> parse("{\"current_updates\":{}}"))
        .hasMessage("field \"enabled\" must be a boolean, got nothing");
  }

  @Test
  void namesTheKindOfAContainerWhereAValueBelongs() {
    assertThatThrownBy(() -> parse(withItems("{\"n\":[1,2]}")))
        .hasMessageContaining("total_item_count must be a non-negative integer, got object");
    assertThatThrownBy(() -> parse(withItems("[5]")))
        .hasMessageContaining("total_item_count must be a non-negative integer, got array");
  }

  @Test
  void stillRejectsBrokenJsonInsideAFieldItDoesNotRead() {
    assertThatThrownBy(
            () -> parse("{\"enabled\":true,\"future\":{\"a\":[1,}},\"current_updates\":{}}"))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageStartingWith("body is not JSON");
  }
}
