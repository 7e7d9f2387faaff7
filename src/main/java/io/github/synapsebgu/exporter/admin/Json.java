package io.github.synapsebgu.exporter.admin;

import java.time.Instant;
import java.util.Locale;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The admin API's JSON mapper: strict on input, so an ambiguous request is refused. */
final class Json {
  /**
   * A duplicated key ({@code {"enabled": true, "enabled": false}}) or trailing garbage would leave
   * the intent open to interpretation: both are errors.
   */
  static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** RFC 3339 in UTC, e.g. {@code 2026-11-27T10:00:00Z}: readable in curl output and by tools. */
  static String time(Instant instant) {
    return instant.toString();
  }

  static String kind(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    return switch (node.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> "the number " + node;
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
    };
  }
}
