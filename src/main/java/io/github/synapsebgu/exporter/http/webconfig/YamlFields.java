package io.github.synapsebgu.exporter.http.webconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Strict reading of one YAML mapping, the way the exporter toolkit's {@code UnmarshalStrict} reads
 * it: an unknown key is an error, a key set to nothing ({@code key:}) counts as absent, and every
 * error names the full field path.
 */
final class YamlFields {
  private final JsonNode node;
  private final String path;

  private YamlFields(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /**
   * @param supported keys this exporter understands
   * @param unsupported keys the toolkit knows but this exporter does not implement
   */
  static YamlFields of(JsonNode node, String path, Set<String> supported, Set<String> unsupported)
      throws FieldException {
    if (!node.isObject()) {
      throw new FieldException(path, "must be a mapping, got " + kind(node));
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = e.getKey();
      if (unsupported.contains(key)) {
        throw new FieldException(
            join(path, key), "is an exporter-toolkit option this exporter does not support");
      }
      if (!supported.contains(key)) {
        throw new FieldException(
            join(path, key), "unknown field (known: " + String.join(", ", sorted(supported)) + ")");
      }
    }
    return new YamlFields(node, path);
  }

  String path(String key) {
    return join(path, key);
  }

  Optional<JsonNode> get(String key) {
    JsonNode value = node.get(key);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  Optional<String> string(String key) throws FieldException {
    Optional<JsonNode> value = get(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (!value.get().isString()) {
      throw new FieldException(path(key), "must be a string, got " + kind(value.get()));
    }
    String s = value.get().stringValue();
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  Optional<Boolean> bool(String key) throws FieldException {
    Optional<JsonNode> value = get(key);
    if (value.isPresent() && !value.get().isBoolean()) {
      throw new FieldException(path(key), "must be true or false, got " + kind(value.get()));
    }
    return value.map(JsonNode::booleanValue);
  }

  Optional<List<String>> strings(String key) throws FieldException {
    Optional<JsonNode> value = get(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (!value.get().isArray()) {
      throw new FieldException(path(key), "must be a list, got " + kind(value.get()));
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    for (JsonNode item : value.get().values()) {
      if (!item.isString()) {
        throw new FieldException(path(key) + "[" + i + "]", "must be a string, got " + kind(item));
      }
      out.add(item.stringValue());
      i++;
    }
    return Optional.of(out);
  }

  static String kind(JsonNode n) {
    return switch (n.getNodeType()) {
      case OBJECT -> "a mapping";
      case ARRAY -> "a list";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      default -> "nothing";
    };
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static List<String> sorted(Set<String> keys) {
    return keys.stream().sorted().toList();
  }

  /** A problem at one field; {@link WebConfigParser} adds the file name. */
  static final class FieldException extends Exception {
    private static final long serialVersionUID = 1L;

    FieldException(String field, String problem) {
      super(field + ": " + problem);
    }
  }
}
