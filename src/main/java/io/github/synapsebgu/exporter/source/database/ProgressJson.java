package io.github.synapsebgu.exporter.source.database;

import java.util.OptionalLong;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the one fact we use from an update's {@code progress_json}: {@code remaining}, which the
 * user directory updates keep. The column is update-specific and untrusted (a real Synapse was seen
 * with {@code {"remaining":-2}}), so anything but a non-negative integer means "not known", never
 * an error of the whole source. Its size is bounded in the query already; the parser is bounded
 * too.
 */
final class ProgressJson {
  /**
   * Longer texts are not read (the query returns null for them). Real ones are a few dozen
   * characters ({@code {"remaining": N}}, a room or stream cursor).
   */
  static final int MAX_CHARS = 4 * 1024;

  private static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(32)
                          .maxNumberLength(40)
                          .maxStringLength(MAX_CHARS)
                          .maxDocumentLength(MAX_CHARS)
                          .build())
                  .build())
          .build();

  private ProgressJson() {}

  static OptionalLong remaining(String json) {
    if (json == null || json.length() > MAX_CHARS) {
      return OptionalLong.empty();
    }
    try {
      JsonNode node = MAPPER.readTree(json).get("remaining");
      if (node != null && node.isIntegralNumber() && node.canConvertToLong()) {
        long value = node.longValue();
        return value >= 0 ? OptionalLong.of(value) : OptionalLong.empty();
      }
    } catch (JacksonException e) {
      // Not JSON, too deep, too long: the update's progress is simply unknown.
    }
    return OptionalLong.empty();
  }
}
