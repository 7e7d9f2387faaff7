package io.github.synapsebgu.exporter.synapse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the status JSON strictly where it matters (the fields we export) and leniently elsewhere
 * (unknown fields are ignored, so a newer Synapse that adds fields keeps working).
 */
public final class StatusParser {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private StatusParser() {}

  public static BackgroundUpdateStatus parse(byte[] body) throws InvalidResponseException {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JacksonException e) {
      throw new InvalidResponseException("body is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw new InvalidResponseException("empty body");
    }
    if (!root.isObject()) {
      throw new InvalidResponseException("expected a JSON object, got " + kind(root));
    }
    JsonNode enabled = root.get("enabled");
    if (enabled == null || !enabled.isBoolean()) {
      throw new InvalidResponseException(
          "field \"enabled\" must be a boolean, got " + kind(enabled));
    }
    JsonNode updates = root.get("current_updates");
    if (updates == null || !updates.isObject()) {
      throw new InvalidResponseException(
          "field \"current_updates\" must be an object, got " + kind(updates));
    }
    Map<String, CurrentUpdate> current = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : updates.properties()) {
      current.put(entry.getKey(), parseUpdate(entry.getKey(), entry.getValue()));
    }
    return new BackgroundUpdateStatus(enabled.booleanValue(), current);
  }

  private static CurrentUpdate parseUpdate(String database, JsonNode node)
      throws InvalidResponseException {
    String where = "current_updates[\"" + database + "\"]";
    if (!node.isObject()) {
      throw new InvalidResponseException(where + " must be an object, got " + kind(node));
    }
    JsonNode name = node.get("name");
    if (name == null || !name.isString() || name.stringValue().isEmpty()) {
      throw new InvalidResponseException(
          where + ".name must be a non-empty string, got " + kind(name));
    }
    JsonNode items = node.get("total_item_count");
    if (items == null || !items.isNumber() || !isWholeNonNegative(items)) {
      throw new InvalidResponseException(
          where + ".total_item_count must be a non-negative integer, got " + kind(items));
    }
    double durationMs =
        nonNegativeNumber(node.get("total_duration_ms"), where + ".total_duration_ms");
    JsonNode rate = node.get("average_items_per_ms");
    OptionalDouble averagePerMs;
    if (rate == null) {
      throw new InvalidResponseException(where + ".average_items_per_ms is missing");
    } else if (rate.isNull()) {
      averagePerMs = OptionalDouble.empty();
    } else {
      averagePerMs = OptionalDouble.of(nonNegativeNumber(rate, where + ".average_items_per_ms"));
    }
    return new CurrentUpdate(name.stringValue(), items.asLong(), durationMs, averagePerMs);
  }

  private static boolean isWholeNonNegative(JsonNode n) {
    if (n.isIntegralNumber()) {
      return n.canConvertToLong() && n.longValue() >= 0;
    }
    double d = n.doubleValue();
    return d >= 0 && d == Math.rint(d) && d < 9.0e15;
  }

  private static double nonNegativeNumber(JsonNode n, String where)
      throws InvalidResponseException {
    if (n == null || !n.isNumber()) {
      throw new InvalidResponseException(where + " must be a number, got " + kind(n));
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d) || d < 0) {
      throw new InvalidResponseException(where + " must be a finite non-negative number, got " + d);
    }
    return d;
  }

  private static String kind(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
