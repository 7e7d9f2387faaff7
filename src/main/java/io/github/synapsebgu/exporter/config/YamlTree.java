package io.github.synapsebgu.exporter.config;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A YAML document read into a small tree that keeps the line of every key and value, so that a
 * problem in a file of thousands of entries names the line. Jackson's own tree drops lines and
 * stops at the first duplicate key; here duplicates are kept (in order) for the validator to report
 * with their lines, next to every other problem.
 */
final class YamlTree {
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private YamlTree() {}

  /** A value and the line it starts on (1-based). */
  sealed interface Node permits Mapping, Sequence, Scalar {
    int line();
  }

  /** One {@code key: value} of a mapping; {@code line} is the key's. */
  record Entry(String key, int line, Node value) {}

  /** Entries in file order, duplicates included. */
  record Mapping(int line, List<Entry> entries) implements Node {
    Mapping {
      entries = List.copyOf(entries);
    }
  }

  record Sequence(int line, List<Node> items) implements Node {
    Sequence {
      items = List.copyOf(items);
    }
  }

  /**
   * @param value a String, Boolean or Number as YAML typed it; null for an empty value ({@code
   *     key:}) or {@code null}
   */
  record Scalar(int line, Object value) implements Node {}

  /** Syntax errors: the line and the parser's reason. */
  static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;

    SyntaxException(int line, String problem) {
      super(problem);
      this.line = line;
    }

    int line() {
      return line;
    }
  }

  /**
   * @return null for an empty document
   */
  static Node parse(byte[] yaml) throws SyntaxException {
    try (JsonParser p = YAML.createParser(yaml)) {
      if (p.nextToken() == null) {
        return null;
      }
      Node root = read(p);
      if (p.nextToken() != null) {
        throw new SyntaxException(line(p), "only one YAML document is allowed");
      }
      return root;
    } catch (JacksonException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new SyntaxException(line, "invalid YAML: " + e.getOriginalMessage());
    }
  }

  private static Node read(JsonParser p) throws SyntaxException {
    int line = line(p);
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        List<Entry> entries = new ArrayList<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
          String key = p.currentName();
          int keyLine = line(p);
          p.nextToken();
          entries.add(new Entry(key, keyLine, read(p)));
        }
        return new Mapping(line, entries);
      }
      case START_ARRAY -> {
        List<Node> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(p));
        }
        return new Sequence(line, items);
      }
      case VALUE_STRING -> {
        return new Scalar(line, p.getString());
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return new Scalar(line, p.getNumberValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new Scalar(line, p.getBooleanValue());
      }
      case VALUE_NULL -> {
        return new Scalar(line, null);
      }
      default -> throw new SyntaxException(line, "unsupported YAML value (" + t + ")");
    }
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }

  /** How a node is named in an error: "a mapping", "a list", "a string", ... */
  static String kind(Node n) {
    if (n instanceof Mapping) {
      return "a mapping";
    }
    if (n instanceof Sequence) {
      return "a list";
    }
    Object v = ((Scalar) n).value();
    if (v == null) {
      return "nothing";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    if (v instanceof Number) {
      return "a number";
    }
    return "a string";
  }
}
